//! PATCH /me: My Profile — a person corrects their own name.

use lambda_http::Request;
use shared::access::signed_in_account;
use shared::domain::profile::ProfileForm;
use shared::edge::{json, json_body, HttpResult};
use shared::views::accounts::ProfileView;
use shared::{App, AppError};

shared::serve_http!(update_profile; path: [], query: [], body: ProfileForm);

async fn update_profile(app: &App, request: Request) -> HttpResult {
    let view = signed_in_account(app, &request).await?;
    let (first, last) = json_body::<ProfileForm>(&request)?.apply(&view.account.first_name, &view.account.last_name)?;
    app.store.update_profile(&view.account, &view.memberships, &first, &last, shared::Timestamp::now()).await?;
    let updated = app
        .store
        .account_view(&view.account.user_id)
        .await?
        .ok_or_else(|| AppError::Internal("account vanished after update".into()))?;
    json(200, &ProfileView::from(&updated))
}
