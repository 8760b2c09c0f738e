//! A session that outlives a reload and is shared by a person's tabs, without
//! any long-lived token where page script can read it: the user pool's refresh
//! token lives in an HttpOnly, Secure, SameSite=Strict cookie that only the
//! session routes (served from the web client's own origin) read; the page
//! holds the short-lived access token in memory and asks for a new one, with
//! the cookie, after a reload or before it runs out. Signing out revokes the
//! session's refresh token and records the session (its `origin_jti`) as
//! ended, so every access token of it is refused from then on, in every tab —
//! and the person's other sessions (another browser, a phone) carry on.

use crate::error::AppError;
use aws_sdk_cognitoidentityprovider::error::ProvideErrorMetadata;
use aws_sdk_cognitoidentityprovider::types::{AuthFlowType, AuthenticationResultType, ChallengeNameType};
use aws_sdk_cognitoidentityprovider::Client;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

/// The cookie that carries the refresh token.
pub const COOKIE: &str = "lc_session";

/// How long the cookie is kept: the user pool's refresh tokens last 12 hours.
pub const COOKIE_SECONDS: u32 = 12 * 3600;

/// What signing in gave.
pub enum Started {
    SignedIn(Tokens),
    /// The person signs in with an authenticator app: its code is wanted next,
    /// with this (short-lived) sign-in session.
    CodeWanted {
        session: String,
    },
}

/// A signed-in session's tokens: the access token for the page, the refresh
/// token for the cookie (none when refreshing, which keeps the one it has).
pub struct Tokens {
    pub access_token: String,
    pub expires_in: i32,
    pub refresh_token: Option<String>,
    pub email: Option<String>,
}

impl Tokens {
    fn from(result: &AuthenticationResultType) -> Result<Tokens, AppError> {
        let access_token = result.access_token().ok_or_else(|| AppError::Dependency("no access token".into()))?;
        Ok(Tokens {
            access_token: access_token.to_string(),
            expires_in: result.expires_in(),
            refresh_token: result.refresh_token().map(str::to_string),
            email: result.id_token().and_then(email_of),
        })
    }
}

/// The `email` claim of an ID token the user pool has just issued (read, not
/// verified: it came straight from the pool, and decides nothing).
fn email_of(id_token: &str) -> Option<String> {
    let payload = id_token.split('.').nth(1)?;
    let claims: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    claims.get("email")?.as_str().map(str::to_string)
}

/// The user pool's answer to a sign-in, in the person's words.
fn refused(error: &impl ProvideErrorMetadata) -> AppError {
    let message = error.message().unwrap_or_default();
    match error.code() {
        Some("NotAuthorizedException") if message.contains("disabled") => AppError::AccountDisabled,
        Some("NotAuthorizedException") if message.contains("session") => {
            AppError::SignInRefused("That took too long: sign in again with your email address and password".into())
        }
        Some("NotAuthorizedException" | "UserNotFoundException") => {
            AppError::SignInRefused("The email address or password is not right".into())
        }
        Some("CodeMismatchException") => AppError::invalid_field(
            "code",
            "The code is not right: enter the 6-digit code your authenticator app shows now",
        ),
        Some("ExpiredCodeException") => {
            AppError::SignInRefused("That took too long: sign in again with your email address and password".into())
        }
        Some("PasswordResetRequiredException" | "UserNotConfirmedException") => {
            AppError::SignInRefused("Your account needs setting up first: use the link in your email".into())
        }
        _ => AppError::Dependency(format!("signing in: {}", error.code().unwrap_or("error"))),
    }
}

/// The user pool's public sign-in calls for the web client (its app client).
pub struct SignIn<'a> {
    pub client: &'a Client,
    pub client_id: &'a str,
}

impl SignIn<'_> {
    /// Email address and password.
    pub async fn with_password(&self, email: &str, password: &str) -> Result<Started, AppError> {
        let answer = self
            .client
            .initiate_auth()
            .client_id(self.client_id)
            .auth_flow(AuthFlowType::UserPasswordAuth)
            .auth_parameters("USERNAME", email)
            .auth_parameters("PASSWORD", password)
            .send()
            .await
            .map_err(|e| e.as_service_error().map(refused).unwrap_or_else(|| AppError::Dependency(e.to_string())))?;
        match (answer.challenge_name(), answer.session(), answer.authentication_result()) {
            (Some(ChallengeNameType::SoftwareTokenMfa), Some(session), _) => {
                Ok(Started::CodeWanted { session: session.to_string() })
            }
            (_, _, Some(result)) => Ok(Started::SignedIn(Tokens::from(result)?)),
            _ => Err(AppError::SignInRefused("Your account needs setting up first: use the link in your email".into())),
        }
    }

    /// The code from the authenticator app, for a sign-in that waits for it.
    pub async fn with_code(&self, email: &str, session: &str, code: &str) -> Result<Tokens, AppError> {
        let answer = self
            .client
            .respond_to_auth_challenge()
            .client_id(self.client_id)
            .challenge_name(ChallengeNameType::SoftwareTokenMfa)
            .session(session)
            .challenge_responses("USERNAME", email)
            .challenge_responses("SOFTWARE_TOKEN_MFA_CODE", code)
            .send()
            .await
            .map_err(|e| e.as_service_error().map(refused).unwrap_or_else(|| AppError::Dependency(e.to_string())))?;
        let result = answer.authentication_result().ok_or_else(|| AppError::Dependency("no tokens".into()))?;
        Tokens::from(result)
    }

    /// A new access token from the refresh token in the cookie.
    pub async fn refreshed(&self, refresh_token: &str) -> Result<Tokens, AppError> {
        let answer = self
            .client
            .initiate_auth()
            .client_id(self.client_id)
            .auth_flow(AuthFlowType::RefreshTokenAuth)
            .auth_parameters("REFRESH_TOKEN", refresh_token)
            .send()
            .await
            .map_err(|_| AppError::Unauthenticated("the session has ended"))?;
        let result = answer.authentication_result().ok_or(AppError::Unauthenticated("the session has ended"))?;
        Tokens::from(result)
    }

    /// Ends the session's refresh token at the pool (and the access tokens
    /// made from it, for the pool's own calls).
    pub async fn revoke(&self, refresh_token: &str) -> Result<(), AppError> {
        self.client
            .revoke_token()
            .client_id(self.client_id)
            .token(refresh_token)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| AppError::Dependency(format!("ending the session: {}", e.code().unwrap_or("error"))))
    }
}

/// The `Set-Cookie` value that keeps `refresh_token` (or, with none, removes it).
pub fn cookie(refresh_token: Option<&str>) -> String {
    match refresh_token {
        Some(token) => format!("{COOKIE}={token}; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age={COOKIE_SECONDS}"),
        None => format!("{COOKIE}=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0"),
    }
}

/// The refresh token a request's cookies carry, if any.
pub fn refresh_token_in(cookie_header: &str) -> Option<&str> {
    cookie_header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_out_of_scripts_reach_and_same_site_only() {
        let set = cookie(Some("abc.def"));
        assert!(set.starts_with("lc_session=abc.def;"));
        for part in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age=43200"] {
            assert!(set.contains(part), "{part} in {set}");
        }
        assert!(cookie(None).contains("Max-Age=0"));
    }

    #[test]
    fn the_refresh_token_is_found_among_other_cookies() {
        assert_eq!(refresh_token_in("a=1; lc_session=xyz; b=2"), Some("xyz"));
        assert_eq!(refresh_token_in("lc_session="), None);
        assert_eq!(refresh_token_in("other=1"), None);
    }

    #[test]
    fn the_email_is_read_from_the_id_token() {
        let payload = URL_SAFE_NO_PAD.encode(br#"{"email":"fay.morgan@qhm.example.nhs.uk"}"#);
        assert_eq!(email_of(&format!("h.{payload}.s")).as_deref(), Some("fay.morgan@qhm.example.nhs.uk"));
        assert_eq!(email_of("not a token"), None);
    }
}
