//! POST /me/disable: a person disables their own account (they no longer need
//! access), with a reason. Their data is kept.

use shared::access::caller::SignedIn;
use shared::access::signed_in_account;
use shared::domain::lifecycle::DisableForm;
use shared::edge::{Answered, Json};
use shared::views::accounts::AccountChanged;
use shared::workflow::accounts::{switch_account, AccountSwitch};
use shared::App;

shared::serve_http!(POST "/me/disable" => disable_own);

async fn disable_own(app: &App, who: SignedIn, form: Json<DisableForm>) -> Answered<AccountChanged<'static>> {
    let person = signed_in_account(app, &who).await?;
    let reason = form.read()?.validate()?;
    let actor = person.account.user_id.clone();
    switch_account(app, &person, AccountSwitch::Disable { reason, by_themself: true }, &actor).await
}
