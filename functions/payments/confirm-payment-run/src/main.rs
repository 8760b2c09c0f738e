//! POST /payment-runs/{id}/confirm `{ "confirm": true }`: Finance confirms a
//! ready run; its claims are marked paid with the run and the payment date,
//! one transaction each (what one request cannot finish goes on from the
//! queue). A run being confirmed is resumed by confirming again; a confirmed
//! run is not confirmed twice.

use shared::access::caller::SignedIn;
use shared::access::payments;
use shared::domain::access_request::ConfirmForm;
use shared::domain::payment_run::RunStatus;
use shared::domain::uk_time::uk_date_time;
use shared::edge::address::PaymentRunId;
use shared::edge::{json, Answered, Json, Path};
use shared::views::payments::PaymentRunView;
use shared::workflow::payment_runs::{advance, continue_later};
use shared::ConflictKind;
use shared::{App, AppError, Timestamp};
use std::time::{Duration, Instant};

shared::serve_http!(POST "/payment-runs/{id}/confirm" => confirm);

const IN_REQUEST: Duration = Duration::from_secs(20);

async fn confirm(
    app: &App, who: SignedIn, Path(id): Path<PaymentRunId>, form: Json<ConfirmForm>,
) -> Answered<PaymentRunView<'static>> {
    let began = Instant::now();
    let (account, run) = payments::open(app, &who, &id).await?;
    form.read()?.require("confirm this payment run")?;
    let actor = account.account.user_id.as_str();
    match run.status {
        RunStatus::Ready => {
            app.store.start_confirming(&run, actor, Timestamp::now()).await?.ok_or_else(|| {
                AppError::conflict(
                    ConflictKind::RunMovedOn,
                    "Someone confirmed this run at the same moment. Refresh it",
                )
            })?;
        }
        RunStatus::Confirming => {} // resumed
        RunStatus::Collecting => {
            return Err(AppError::conflict(
                ConflictKind::RunCollecting,
                "This run is still collecting claims: confirm it once it is ready",
            ))
        }
        RunStatus::Confirmed => {
            let when = run.confirmed_at.map(uk_date_time).unwrap_or_default();
            return Err(AppError::conflict(
                ConflictKind::RunConfirmed,
                format!("This run was confirmed already, on {when}"),
            ));
        }
    }
    let run = Box::pin(advance(app, &run.id, actor, began + IN_REQUEST)).await?;
    if run.status.in_progress() {
        continue_later(app, &run, actor).await?;
    }
    json(&PaymentRunView::of(&run))
}
