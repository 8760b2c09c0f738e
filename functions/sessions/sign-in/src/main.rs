//! POST /session (public, from the web client's own origin): signing in. With
//! an email address and password — or, for someone who signs in with an
//! authenticator app, then with its code and the sign-in session the first
//! step gave. Signed in, the page gets the access token (short-lived, kept in
//! memory) and the browser the refresh token in an HttpOnly, Secure,
//! SameSite=Strict cookie, so a reload or a new tab carries on the session
//! without any long-lived token where page script can read it.

use serde::Deserialize;
use shared::edge::{json, json_setting_cookie, HttpResult, Json};
use shared::identity::session::{self, Started, Tokens};
use shared::views::sessions::{CodeWanted, Session};
use shared::{App, AppError};

/// The sign-in form, in one of its two steps.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct SignInForm {
    email: String,
    #[serde(default)]
    password: Option<String>,
    /// The second step: the code from the authenticator app, and the session of the first.
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    session: Option<String>,
}

shared::serve_http!(public POST "/session" => sign_in);

async fn sign_in(app: &App, form: Json<SignInForm>) -> HttpResult {
    let form: SignInForm = form.read()?;
    let email = form.email.trim().to_ascii_lowercase();
    let pool = app.directory().sign_in(&app.config.user_pool_client_id);
    let tokens = match (form.password.as_deref(), form.code.as_deref(), form.session.as_deref()) {
        (Some(password), None, None) if !email.is_empty() && !password.is_empty() => {
            match pool.with_password(&email, password).await? {
                Started::SignedIn(tokens) => tokens,
                Started::CodeWanted { session } => {
                    return json(200, &CodeWanted { signed_in: false, code_wanted: true, session: &session })
                }
            }
        }
        (None, Some(_), Some(_)) if email.is_empty() => {
            return Err(AppError::invalid_field("email", "Enter your email address"));
        }
        (None, Some(code), Some(session)) => {
            // "123 456", as the app shows it, is read as 123456.
            let code: String = code.chars().filter(|c| *c != ' ').collect();
            if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
                return Err(AppError::invalid_field("code", "Enter the 6-digit code from your authenticator app"));
            }
            pool.with_code(&email, session, &code).await?
        }
        _ => return Err(AppError::invalid_field("password", "Enter your email address and password")),
    };
    signed_in(&email, tokens)
}

/// The page's access token, and the cookie with the refresh token.
fn signed_in(email: &str, tokens: Tokens) -> HttpResult {
    let cookie = tokens.refresh_token.as_deref().map(|token| session::cookie(Some(token)));
    json_setting_cookie(
        200,
        &Session {
            signed_in: Some(true),
            access_token: &tokens.access_token,
            expires_in: tokens.expires_in,
            email: Some(tokens.email.as_deref().unwrap_or(email)),
        },
        cookie,
    )
}
