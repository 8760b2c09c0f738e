//! POST /session/refresh (public, from the web client's own origin): after a
//! reload, in a new tab, or before the access token runs out, a new access
//! token from the refresh token in the session cookie. No cookie, or one the
//! user pool no longer honours (signed out, expired), is 401: sign in again.

use shared::edge::{json, Answered, Cookies};
use shared::identity::session;
use shared::views::sessions::Session;
use shared::{App, AppError};

shared::serve_http!(public POST "/session/refresh" => refresh, refusing 401);

async fn refresh(app: &App, cookies: Cookies) -> Answered<Session<'static>> {
    let cookies = cookies.value.as_deref().unwrap_or_default();
    let refresh_token = session::refresh_token_in(cookies).ok_or(AppError::Unauthenticated("no session"))?;
    let tokens = app.directory().sign_in(&app.config.user_pool_client_id).refreshed(refresh_token).await?;
    let renewed = Session {
        signed_in: None,
        access_token: &tokens.access_token,
        expires_in: tokens.expires_in,
        email: tokens.email.as_deref(),
    };
    json(&renewed)
}
