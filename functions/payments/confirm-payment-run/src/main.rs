//! POST /payment-runs/{id}/confirm `{ "confirm": true }`: Finance confirms a
//! ready run; its claims are marked paid with the run and the payment date,
//! one transaction each (what one request cannot finish goes on from the
//! queue). A run being confirmed is resumed by confirming again; a confirmed
//! run is not confirmed twice, but the same request sent again with its
//! `Idempotency-Key` is answered as the first was.

use shared::access::caller::SignedIn;
use shared::access::payments;
use shared::domain::access_request::ConfirmForm;
use shared::domain::payment_run::RunStatus;
use shared::domain::uk_time::uk_date_time;
use shared::edge::address::PaymentRunId;
use shared::edge::{json, Answered, IdempotencyKey, Json, Path};
use shared::store::payments::{confirm_request, PaymentRunRecord};
use shared::store::requests::{key_used_before, KeyUse, Sender};
use shared::views::payments::PaymentRunView;
use shared::workflow::payment_runs::take_on;
use shared::ConflictKind;
use shared::{App, AppError, Timestamp};
use std::time::{Duration, Instant};

shared::serve_http!(POST "/payment-runs/{id}/confirm" => confirm);

const IN_REQUEST: Duration = Duration::from_secs(20);

async fn confirm(
    app: &App, who: SignedIn, Path(id): Path<PaymentRunId>, key: IdempotencyKey, form: Json<ConfirmForm>,
) -> Answered<PaymentRunView<'static>> {
    let began = Instant::now();
    let key = key.key()?;
    let (account, run) = payments::open(app, &who, &id).await?;
    form.read()?.require("confirm this payment run")?;
    let sender = Sender { user_id: &account.account.user_id, key };
    let run = match run.status {
        RunStatus::Ready => match app.store.start_confirming(&run, sender, Timestamp::now()).await? {
            Some(confirming) => confirming,
            None if confirmed_by_this_request(app, sender, &run).await? => reread(app, &run).await?,
            None => {
                return Err(AppError::conflict(
                    ConflictKind::RunMovedOn,
                    "Someone confirmed this run at the same moment. Refresh it",
                ))
            }
        },
        RunStatus::Confirming => run, // resumed
        RunStatus::Collecting => {
            return Err(AppError::conflict(
                ConflictKind::RunCollecting,
                "This run is still collecting claims: confirm it once it is ready",
            ))
        }
        // This very request, sent again after an answer that never arrived.
        RunStatus::Confirmed if confirmed_by_this_request(app, sender, &run).await? => run,
        RunStatus::Confirmed => {
            let when = run.confirmed_at.map(uk_date_time).unwrap_or_default();
            return Err(AppError::conflict(
                ConflictKind::RunConfirmed,
                format!("This run was confirmed already, on {when}"),
            ));
        }
    };
    let run = take_on(app, run, &account.account.user_id, began + IN_REQUEST).await?;
    json(&PaymentRunView::of(&run))
}

/// Whether the request's key is the one this run was confirmed with; a key
/// sent before with another request is refused.
async fn confirmed_by_this_request(app: &App, sender: Sender<'_>, run: &PaymentRunRecord) -> Result<bool, AppError> {
    if sender.key.is_none() {
        return Ok(false);
    }
    match app.store.key_use(sender, &confirm_request(&run.id)).await? {
        KeyUse::ThisRequest { .. } => Ok(true),
        KeyUse::AnotherRequest => Err(key_used_before()),
        KeyUse::New => Ok(false),
    }
}

async fn reread(app: &App, run: &PaymentRunRecord) -> Result<PaymentRunRecord, AppError> {
    app.store
        .payment_run(&run.id)
        .await?
        .ok_or_else(|| AppError::NotFound("There is no payment run with this ID".into()))
}
