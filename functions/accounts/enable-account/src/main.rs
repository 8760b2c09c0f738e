//! POST /users/{id}/enable: the blue Enable Account button — a disabled account
//! works again, after confirmation.

use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::access_request::ConfirmForm;
use shared::domain::authority::Refusal;
use shared::edge::address::UserId;
use shared::edge::{json, Answered, Json, Path};
use shared::mail::templates::{self, Addressee};
use shared::views::accounts::AccountChanged;
use shared::ConflictKind;
use shared::{App, AppError};

shared::serve_http!(POST "/users/{id}/enable" => enable);

async fn enable(
    app: &App, who: SignedIn, Path(id): Path<UserId>, form: Json<ConfirmForm>,
) -> Answered<AccountChanged<'static>> {
    let (caller, person) = signed_in_alongside(app, &who, access::organisations::person_named(&app.store, &id)).await?;
    if caller.user_id == id {
        return Err(Refusal::OwnAccess.into());
    }
    let (view, _) = access::organisations::managed_user(&app.store, &caller, person).await?;
    form.read()?.require("enable this account")?;
    let account = &view.account;
    let next = account.status.enable().map_err(|r| AppError::conflict(ConflictKind::AccountUnchanged, r.0))?;
    app.store.change_account(account, &view.memberships, next, None, &caller.user_id, shared::Timestamp::now()).await?;
    let sign_in = app.directory().switch_sign_in(&account.email, true).await;
    let notification = app.mail().notify(&templates::account_enabled(&Addressee::of_account(account))).await;
    json(&AccountChanged::of(account, next, None, sign_in, notification))
}
