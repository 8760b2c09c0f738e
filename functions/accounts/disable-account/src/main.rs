//! POST /users/{id}/disable: an administrator disables a person's whole account,
//! with a reason ("Other" needs up to 250 characters of detail). Sign-in stops,
//! every request is refused, and all their data is kept for audit.

use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::lifecycle::DisableForm;
use shared::edge::address::UserId;
use shared::edge::{Answered, Json, Path};
use shared::views::accounts::AccountChanged;
use shared::workflow::accounts::{switch_account, AccountSwitch};
use shared::App;

shared::serve_http!(POST "/users/{id}/disable" => disable);

async fn disable(
    app: &App, who: SignedIn, Path(id): Path<UserId>, form: Json<DisableForm>,
) -> Answered<AccountChanged<'static>> {
    let (caller, person) = access::organisations::other_managed_user(app, &who, &id).await?;
    let reason = form.read()?.validate()?;
    switch_account(app, &person, AccountSwitch::Disable { reason, by_themself: false }, &caller.user_id).await
}
