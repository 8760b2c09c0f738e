//! POST /me/disable: a person disables their own account (they no longer need
//! access), with a reason. Their data is kept.

use lambda_http::Request;
use serde_json::json;
use shared::access::signed_in_account;
use shared::domain::lifecycle::DisableForm;
use shared::edge::{json, json_body, HttpResult};
use shared::mail::templates::{self, Addressee};
use shared::{App, AppError};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::edge::run(disable_own).await
}

shared::sample_event_test!(path: [], query: [], body: DisableForm);

async fn disable_own(app: &App, request: Request) -> HttpResult {
    let view = signed_in_account(app, &request).await?;
    let reason = json_body::<DisableForm>(&request)?.validate()?;
    let caller_id = view.account.user_id.clone();
    let account = &view.account;
    let next = account.status.disable().map_err(|r| AppError::conflict("account-unchanged", r.0))?;
    let now = shared::Timestamp::now();
    app.store.change_account(account, &view.memberships, next, Some(&reason), &caller_id, now).await?;
    let sign_in = app.directory().switch_sign_in(&account.email, false).await;
    let by_themselves = caller_id == account.user_id;
    let letter = templates::account_disabled(&Addressee::of_account(account), &reason.label(), by_themselves);
    let notification = app.mail().notify(&letter).await;
    json(
        200,
        &json!({
            "id": account.user_id,
            "status": next,
            "reason": reason.label(),
            "signIn": sign_in,
            "notification": notification,
        }),
    )
}
