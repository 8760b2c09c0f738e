//! GET /me: My Profile — the caller's details, account status and memberships.

use shared::access::caller::SignedIn;
use shared::access::signed_in_account_without_code;
use shared::edge::{json, Answered};
use shared::views::accounts::ProfileView;
use shared::App;

shared::serve_http!(GET "/me" => me);

async fn me(app: &App, who: SignedIn) -> Answered<ProfileView<'static>> {
    let account = signed_in_account_without_code(app, &who).await?;
    // Last sign-in, for the Users section: recorded once per sign-in, when the
    // front end first loads My Profile. A failure only delays it.
    if let Some(signed_in_at) = account.signed_in_at {
        if account.account.last_sign_in_at < Some(signed_in_at.into()) {
            if let Err(error) = app.store.record_sign_in(&account.account.user_id, signed_in_at.into()).await {
                tracing::warn!(error = %error, "last sign-in not recorded");
            }
        }
    }
    json(&ProfileView::from(&account))
}
