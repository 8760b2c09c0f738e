//! POST /session (public, from the web client's own origin): signing in. With
//! an email address and password — or, for someone who signs in with an
//! authenticator app, then with its code and the sign-in session the first
//! step gave. Signed in, the page gets the access token (short-lived, kept in
//! memory) and the browser the refresh token in an HttpOnly, Secure,
//! SameSite=Strict cookie, so a reload or a new tab carries on the session
//! without any long-lived token where page script can read it.

use serde::Deserialize;
use serde_json::json;
use shared::edge::openapi::fields::{NOT_BLANK, PLAIN};
use shared::edge::openapi::{FormSchema, Operation};
use shared::edge::OneOf;
use shared::edge::{json, json_setting_cookie, Answered, Json};
use shared::identity::session::{self, Started, Tokens};
use shared::views::sessions::{CodeWanted, Session};
use shared::{App, AppError};
use utoipa::openapi::{RefOr, Schema};

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

/// Two steps: the password, then (for someone who signs in with an
/// authenticator app) the code and the session the first step answered.
impl FormSchema for SignInForm {
    fn body_schema(operation: &mut Operation) -> RefOr<Schema> {
        let email = json!({"type": "string", "maxLength": 254, "pattern": NOT_BLANK});
        let schema = json!({
            "type": "object",
            "oneOf": [
                {
                    "description": "The first step",
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["email", "password"],
                    "properties": {
                        "email": email,
                        "password": {"type": "string", "minLength": 1, "maxLength": 256, "pattern": PLAIN},
                    },
                },
                {
                    "description": "The second step, for someone who signs in with an authenticator app",
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["email", "code", "session"],
                    "properties": {
                        "email": email,
                        "code": {
                            "type": "string",
                            "pattern": "^ *([0-9] *){6}$",
                            "description": "The 6-digit code from the authenticator app",
                        },
                        "session": {
                            "type": "string",
                            "maxLength": 4096,
                            "pattern": PLAIN,
                            "description": "The `session` the first step answered with",
                        },
                    },
                },
            ],
        });
        operation.schema_written("SignInForm", schema)
    }
}

shared::serve_http!(public POST "/session" => sign_in, refusing 401, 403);

async fn sign_in(app: &App, form: Json<SignInForm>) -> Answered<OneOf<CodeWanted<'static>, Session<'static>>> {
    let form: SignInForm = form.read()?;
    let email = form.email.trim().to_ascii_lowercase();
    let pool = app.directory().sign_in(&app.config.user_pool_client_id);
    let tokens = match (form.password.as_deref(), form.code.as_deref(), form.session.as_deref()) {
        (Some(password), None, None) if !email.is_empty() && !password.is_empty() => {
            match pool.with_password(&email, password).await? {
                Started::SignedIn(tokens) => tokens,
                Started::CodeWanted { session } => {
                    return json(&CodeWanted { signed_in: false, code_wanted: true, session: &session })
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
fn signed_in(email: &str, tokens: Tokens) -> Answered<OneOf<CodeWanted<'static>, Session<'static>>> {
    let cookie = tokens.refresh_token.as_deref().map(|token| session::cookie(Some(token)));
    json_setting_cookie(
        &Session {
            signed_in: Some(true),
            access_token: &tokens.access_token,
            expires_in: tokens.expires_in,
            email: Some(tokens.email.as_deref().unwrap_or(email)),
        },
        cookie,
    )
}
