//! POST /me/mfa: the last step of setting up an authenticator app. The web
//! client has had the user pool check a code from the new app and made it how
//! the person signs in; this step asks the pool whether that is so and, if it
//! is, records it — from then on the API accepts this person's requests (if
//! their roles need an app) only from sessions that began with a code. Open to
//! a session without a code, so its holder can get here.

use shared::access::caller::SignedIn;
use shared::access::signed_in_account_without_code;
use shared::edge::{json, Answered};
use shared::views::accounts::ProfileView;
use shared::ConflictKind;
use shared::{App, AppError};

shared::serve_http!(POST "/me/mfa" => record_authenticator);

async fn record_authenticator(app: &App, who: SignedIn) -> Answered<ProfileView<'static>> {
    let view = signed_in_account_without_code(app, &who).await?;
    if !app.directory().signs_in_with_authenticator(&view.account.email).await? {
        return Err(AppError::conflict(
            ConflictKind::MfaNotSetUp,
            "Your authenticator app is not set up yet: scan the QR code and enter the code the app shows",
        ));
    }
    let now = shared::Timestamp::now();
    let mut view = view;
    if app.store.record_authenticator(&view, now).await? {
        tracing::info!("authenticator app recorded");
        view.account.mfa_enabled_at = Some(now);
        view.account.mfa_set_up_in = view.session.clone();
    }
    json(&ProfileView::from(&view))
}
