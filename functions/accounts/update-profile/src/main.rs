//! PATCH /me: My Profile — a person corrects their own name.

use shared::access::caller::SignedIn;
use shared::access::signed_in_account;
use shared::domain::profile::ProfileForm;
use shared::edge::{json, Answered, Json};
use shared::views::accounts::ProfileView;
use shared::{App, AppError};

shared::serve_http!(PATCH "/me" => update_profile);

async fn update_profile(app: &App, who: SignedIn, form: Json<ProfileForm>) -> Answered<ProfileView<'static>> {
    let view = signed_in_account(app, &who).await?;
    let (first, last) = form.read()?.apply(&view.account.first_name, &view.account.last_name)?;
    app.store.update_profile(&view.account, &view.memberships, &first, &last, shared::Timestamp::now()).await?;
    let updated = app
        .store
        .account_view(&view.account.user_id)
        .await?
        .ok_or_else(|| AppError::Internal("account vanished after update".into()))?;
    json(&ProfileView::from(&updated))
}
