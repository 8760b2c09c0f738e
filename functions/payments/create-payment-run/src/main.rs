//! POST /payment-runs `{ "commissioner", "paymentDate" }`: a commissioner's
//! Finance or Tier 2 approver starts a payment run — every approved claim of
//! that commissioner not yet in a run is collected into it (a claim joins one
//! run only, even when two are started at once). What one request cannot
//! finish goes on from the payment run queue; the run says where it is. The
//! same request sent again with its `Idempotency-Key` answers the run the
//! first one started, and takes it on.

use shared::access::caller::SignedIn;
use shared::access::payments::{paying_for, NOT_A_PAYER};
use shared::access::signed_in_account;
use shared::domain::payment_run::RunForm;
use shared::domain::uk_time::uk_today;
use shared::edge::crash::crash_point;
use shared::edge::{json, Answered, IdempotencyKey, Json};
use shared::store::payments::{run_request, PaymentRunRecord};
use shared::store::requests::{Keyed, Sender};
use shared::views::payments::PaymentRunView;
use shared::workflow::payment_runs::take_on;
use shared::{App, AppError, Timestamp};
use std::time::{Duration, Instant};

shared::serve_http!(POST "/payment-runs" => start);

/// How long a request collects before leaving the rest to the queue.
const IN_REQUEST: Duration = Duration::from_secs(20);

async fn start(
    app: &App, who: SignedIn, key: IdempotencyKey, form: Json<RunForm>,
) -> Answered<PaymentRunView<'static>, 201> {
    let began = Instant::now();
    let key = key.key()?;
    let account = signed_in_account(app, &who).await?;
    let new = form.read()?.validate(uk_today(jiff::Timestamp::now()))?;
    if !paying_for(&account.caller()).contains(&new.commissioner) {
        return Err(AppError::Forbidden(NOT_A_PAYER.into()));
    }
    let sender = Sender { user_id: &account.account.user_id, key };
    let request = run_request(&new);
    let commissioner = app
        .store
        .organisation_record(&new.commissioner)
        .await?
        .ok_or_else(|| AppError::invalid_field("commissioner", "There is no commissioner with this ODS code"))?;
    // Refused for its key's marker: this request sent again (or at the same
    // moment), answered with the run it started. Refused for anything else
    // (contention to the end, say): that refusal.
    let keyed = Keyed { sender, request };
    let run = app
        .store
        .create_once(
            &keyed,
            || app.store.create_run(&new, &commissioner.name, sender, Timestamp::now()),
            |id| async move { started_before(app, &id).await },
        )
        .await?;
    crash_point("after-run-created");
    let run = take_on(app, run, &account.account.user_id, began + IN_REQUEST).await?;
    json(&PaymentRunView::of(&run))
}

/// The run a retry's key names.
async fn started_before(app: &App, id: &str) -> Result<PaymentRunRecord, AppError> {
    app.store.payment_run(id).await?.ok_or_else(|| AppError::Internal(format!("payment run {id} of a key is gone")))
}
