//! POST /payment-runs `{ "commissioner", "paymentDate" }`: a commissioner's
//! Finance or Tier 2 approver starts a payment run — every approved claim of
//! that commissioner not yet in a run is collected into it (a claim joins one
//! run only, even when two are started at once). What one request cannot
//! finish goes on from the payment run queue; the run says where it is.

use shared::access::caller::SignedIn;
use shared::access::payments::{paying_for, NOT_A_PAYER};
use shared::access::signed_in_account;
use shared::domain::payment_run::RunForm;
use shared::domain::uk_time::uk_today;
use shared::edge::{json, Answered, Json};
use shared::views::payments::PaymentRunView;
use shared::workflow::payment_runs::{advance, continue_later};
use shared::{App, AppError, Timestamp};
use std::time::{Duration, Instant};

shared::serve_http!(POST "/payment-runs" => start);

/// How long a request collects before leaving the rest to the queue.
const IN_REQUEST: Duration = Duration::from_secs(20);

async fn start(app: &App, who: SignedIn, form: Json<RunForm>) -> Answered<PaymentRunView<'static>, 201> {
    let began = Instant::now();
    let account = signed_in_account(app, &who).await?;
    let new = form.read()?.validate(uk_today(jiff::Timestamp::now()))?;
    if !paying_for(&account.caller()).contains(&new.commissioner) {
        return Err(AppError::Forbidden(NOT_A_PAYER.into()));
    }
    let commissioner = app
        .store
        .organisation_record(&new.commissioner)
        .await?
        .ok_or_else(|| AppError::invalid_field("commissioner", "There is no commissioner with this ODS code"))?;
    let actor = account.account.user_id.as_str();
    let run = app.store.create_run(&new, &commissioner.name, actor, Timestamp::now()).await?;
    let run = Box::pin(advance(app, &run.id, actor, began + IN_REQUEST)).await?;
    if run.status.in_progress() {
        continue_later(app, &run, actor).await?;
    }
    json(&PaymentRunView::of(&run))
}
