//! POST /users/{id}/enable: the blue Enable Account button — a disabled account
//! works again, after confirmation.

use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::access_request::ConfirmForm;
use shared::edge::address::UserId;
use shared::edge::{Answered, Json, Path};
use shared::views::accounts::AccountChanged;
use shared::workflow::accounts::{switch_account, AccountSwitch};
use shared::App;

shared::serve_http!(POST "/users/{id}/enable" => enable);

async fn enable(
    app: &App, who: SignedIn, Path(id): Path<UserId>, form: Json<ConfirmForm>,
) -> Answered<AccountChanged<'static>> {
    let (caller, person) = access::organisations::other_managed_user(app, &who, &id).await?;
    form.read()?.require("enable this account")?;
    switch_account(app, &person, AccountSwitch::Enable, &caller.user_id).await
}
