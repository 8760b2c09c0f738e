//! POST /users/{id}/enable: the blue Enable Account button — a disabled account
//! works again, after confirmation.

use lambda_http::Request;
use shared::access::{self, signed_in_alongside};
use shared::domain::access_request::ConfirmForm;
use shared::domain::authority::Refusal;
use shared::edge::{json, json_body, path_param, HttpResult};
use shared::mail::templates::{self, Addressee};
use shared::views::accounts::account_change_json;
use shared::{App, AppError};

shared::serve_http!(enable; path: ["id"], query: [], body: ConfirmForm);

async fn enable(app: &App, request: Request) -> HttpResult {
    let id = path_param(&request, "id")?;
    let (caller, person) =
        signed_in_alongside(app, &request, access::organisations::person_named(&app.store, &id)).await?;
    if id == caller.user_id {
        return Err(Refusal::OwnAccess.into());
    }
    let (view, _) = access::organisations::managed_user(&app.store, &caller, person).await?;
    json_body::<ConfirmForm>(&request)?.require("enable this account")?;
    let account = &view.account;
    let next = account.status.enable().map_err(|r| AppError::conflict("account-unchanged", r.0))?;
    app.store.change_account(account, &view.memberships, next, None, &caller.user_id, shared::Timestamp::now()).await?;
    let sign_in = app.directory().switch_sign_in(&account.email, true).await;
    let notification = app.mail().notify(&templates::account_enabled(&Addressee::of_account(account))).await;
    json(200, &account_change_json(account, next, None, sign_in, notification))
}
