//! POST /me/disable: a person disables their own account (they no longer need
//! access), with a reason. Their data is kept.

use shared::access::caller::SignedIn;
use shared::access::signed_in_account;
use shared::domain::lifecycle::DisableForm;
use shared::edge::{json, Answered, Json};
use shared::mail::templates::{self, Addressee};
use shared::views::accounts::AccountChanged;
use shared::ConflictKind;
use shared::{App, AppError};

shared::serve_http!(POST "/me/disable" => disable_own);

async fn disable_own(app: &App, who: SignedIn, form: Json<DisableForm>) -> Answered<AccountChanged<'static>> {
    let view = signed_in_account(app, &who).await?;
    let reason = form.read()?.validate()?;
    let account = &view.account;
    let next = account.status.disable().map_err(|r| AppError::conflict(ConflictKind::AccountUnchanged, r.0))?;
    let now = shared::Timestamp::now();
    app.store.change_account(account, &view.memberships, next, Some(&reason), &account.user_id, now).await?;
    let sign_in = app.directory().switch_sign_in(&account.email, false).await;
    let letter = templates::account_disabled(&Addressee::of_account(account), &reason.label(), true);
    let notification = app.mail().notify(&letter).await;
    json(&AccountChanged::of(account, next, Some(&reason.label()), sign_in, notification))
}
