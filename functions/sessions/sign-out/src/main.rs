//! DELETE /session (public, from the web client's own origin): Sign out. The
//! session's refresh token (in the cookie) is revoked at the user pool, and
//! the session the access token belongs to is recorded as ended, so every one
//! of its access tokens — in any tab — is refused from now (the person's other
//! sessions carry on). Without the session cookie nothing is ended. The cookie
//! is cleared in any case.

use shared::access::caller::Credentials;
use shared::access::signed_in_account_without_code;
use shared::edge::{json_setting_cookie, Answered, Cookies};
use shared::identity::session;
use shared::views::sessions::SignedOut;
use shared::App;

shared::serve_http!(public DELETE "/session" => sign_out);

async fn sign_out(app: &App, credentials: Option<Credentials>, cookies: Cookies) -> Answered<SignedOut> {
    let cookies = cookies.value.as_deref().unwrap_or_default();
    // Only a browser's session (its cookie) is signed out: a token sent alone ends nothing.
    if let Some(refresh_token) = session::refresh_token_in(cookies) {
        // The ended session below is what the API goes by; a revocation the pool
        // did not take (the local emulator has none) only lets the cookie's token
        // make tokens the API refuses.
        if let Err(error) = app.directory().sign_in(&app.config.user_pool_client_id).revoke(refresh_token).await {
            tracing::warn!(error = %error, "refresh token not revoked");
        }
        if let Some(credentials) = credentials {
            let view = match credentials.verify(app).await {
                Ok(signed_in) => signed_in_account_without_code(app, &signed_in).await,
                Err(refused) => Err(refused),
            };
            if let Ok(view) = view {
                if let Some(ended) = &view.session {
                    app.store.end_session(&view.account.user_id, ended, shared::Timestamp::now()).await?;
                }
            }
        }
    }
    json_setting_cookie(&SignedOut { signed_in: false }, Some(session::cookie(None)))
}
