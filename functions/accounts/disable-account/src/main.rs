//! POST /users/{id}/disable: an administrator disables a person's whole account,
//! with a reason ("Other" needs up to 250 characters of detail). Sign-in stops,
//! every request is refused, and all their data is kept for audit.

use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::authority::Refusal;
use shared::domain::lifecycle::DisableForm;
use shared::edge::address::UserId;
use shared::edge::{json, Answered, Json, Path};
use shared::mail::templates::{self, Addressee};
use shared::views::accounts::AccountChanged;
use shared::ConflictKind;
use shared::{App, AppError};

shared::serve_http!(POST "/users/{id}/disable" => disable);

async fn disable(
    app: &App, who: SignedIn, Path(id): Path<UserId>, form: Json<DisableForm>,
) -> Answered<AccountChanged<'static>> {
    let (caller, person) = signed_in_alongside(app, &who, access::organisations::person_named(&app.store, &id)).await?;
    if caller.user_id == id {
        return Err(Refusal::OwnAccess.into());
    }
    let (view, _) = access::organisations::managed_user(&app.store, &caller, person).await?;
    let reason = form.read()?.validate()?;
    let account = &view.account;
    let next = account.status.disable().map_err(|r| AppError::conflict(ConflictKind::AccountUnchanged, r.0))?;
    let now = shared::Timestamp::now();
    app.store.change_account(account, &view.memberships, next, Some(&reason), &caller.user_id, now).await?;
    let sign_in = app.directory().switch_sign_in(&account.email, false).await;
    let letter = templates::account_disabled(&Addressee::of_account(account), &reason.label(), false);
    let notification = app.mail().notify(&letter).await;
    json(&AccountChanged::of(account, next, Some(&reason.label()), sign_in, notification))
}
