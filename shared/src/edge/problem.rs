//! RFC 9457 problem details: the one place an `AppError` becomes an HTTP answer.

use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use lambda_http::{Body, Response};
use serde::Serialize;

#[derive(Debug, Serialize)]
pub struct Problem {
    #[serde(rename = "type")]
    pub type_uri: String,
    pub title: &'static str,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub errors: Option<FieldErrors>,
}

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// How long a caller that met a 503 waits before sending the request again.
pub const RETRY_AFTER_SECONDS: u32 = 1;

// The words of the problems whose detail never changes.
const TOO_LARGE: &str = "The form sent is too large. Shorten the text you entered and try again";
const NOT_JSON: &str = "Send the form as JSON with the header Content-Type: application/json";
const SIGN_IN_REQUIRED: &str =
    "You need to sign in to do this. If you were signed in, your session may have ended: sign in again";
const ACCOUNT_DISABLED: &str =
    "Your account has been disabled, so you cannot use Local Claims. Contact your Commissioning Administrator if you need access again";
const ACCOUNT_NOT_ACTIVE: &str =
    "Your account is not active yet. Complete your registration from the link in your approval email";
const SET_UP_AUTHENTICATOR: &str =
    "You approve claims, make payments or manage accounts, so you sign in with a code from an authenticator app as well as your password. Set one up to carry on";
const SIGN_IN_WITH_CODE: &str =
    "This session began without a code from your authenticator app. Sign in again, with a code from the app, to carry on";
const TRY_AGAIN_SOON: &str =
    "Local Claims could not complete this just now and nothing was changed. Please try again in a few minutes";
const OUR_FAULT: &str =
    "Something went wrong on our side and nothing was changed. Please try again; if it keeps happening contact the service desk";

fn problem(slug: &str, title: &'static str, status: u16, detail: impl Into<String>) -> Problem {
    Problem { type_uri: format!("/problems/{slug}"), title, status, detail: detail.into(), errors: None }
}

impl From<&AppError> for Problem {
    fn from(error: &AppError) -> Self {
        match error {
            AppError::Malformed(detail) => problem("malformed-request", "Malformed request", 400, detail.clone()),
            AppError::TooLarge => problem("request-too-large", "Request too large", 413, TOO_LARGE),
            AppError::UnsupportedMediaType => {
                problem("unsupported-media-type", "Unsupported media type", 415, NOT_JSON)
            }
            AppError::Validation { detail, errors } => Problem {
                errors: Some(errors.clone()),
                ..problem("validation", "Check the information you entered", 422, detail.clone())
            },
            AppError::Unauthenticated(_) => problem("unauthenticated", "Sign in required", 401, SIGN_IN_REQUIRED),
            AppError::SignInFirst(detail) => problem("sign-in-first", "Sign in required", 401, detail.clone()),
            AppError::SignInRefused(detail) => problem("sign-in-refused", "Not signed in", 401, detail.clone()),
            AppError::AccountDisabled => problem("account-disabled", "Account disabled", 403, ACCOUNT_DISABLED),
            AppError::AccountNotActive => problem("account-not-active", "Account not active", 403, ACCOUNT_NOT_ACTIVE),
            AppError::AuthenticatorNeeded { set_up: false } => {
                problem("mfa-required", "Set up an authenticator app", 403, SET_UP_AUTHENTICATOR)
            }
            AppError::AuthenticatorNeeded { set_up: true } => {
                problem("mfa-required", "Sign in with your authenticator app", 403, SIGN_IN_WITH_CODE)
            }
            AppError::Forbidden(detail) => problem("forbidden", "Not allowed", 403, detail.clone()),
            AppError::NotFound(detail) => problem("not-found", "Not found", 404, detail.clone()),
            AppError::Conflict { kind, detail } => problem(kind.as_str(), "Cannot do this now", 409, detail.clone()),
            AppError::Stale(detail) => problem("stale-version", "Changed since you loaded it", 412, detail.clone()),
            AppError::Gone(detail) => problem("link-expired", "Link no longer valid", 410, detail.clone()),
            AppError::Dependency(_) => {
                problem("temporarily-unavailable", "Service temporarily unavailable", 503, TRY_AGAIN_SOON)
            }
            AppError::Internal(_) => problem("internal-error", "Something went wrong", 500, OUR_FAULT),
        }
    }
}

/// Renders the error; logs the cause of server-side failures (never request data).
pub fn problem_response(error: &AppError) -> Response<Body> {
    let problem = Problem::from(error);
    if problem.status >= 500 {
        tracing::error!(error = %error, status = problem.status, "request failed");
    } else {
        tracing::info!(status = problem.status, problem = %problem.type_uri, "request refused");
    }
    let body = serde_json::to_string(&problem).unwrap_or_else(|_| String::from("{}"));
    let mut builder = Response::builder()
        .status(problem.status)
        .header("content-type", PROBLEM_CONTENT_TYPE)
        .header("cache-control", "no-store");
    if problem.status == 401 {
        builder = builder.header("www-authenticate", "Bearer");
    }
    if problem.status == 503 {
        // Nothing was changed: the same request may be sent again, after a moment.
        builder = builder.header("retry-after", RETRY_AFTER_SECONDS.to_string());
    }
    builder.body(Body::from(body)).unwrap_or_else(|_| Response::new(Body::Empty))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_errors_carry_their_fields() {
        let error = AppError::invalid_field("email", "Enter an email address");
        let json = serde_json::to_value(Problem::from(&error)).unwrap();
        assert_eq!(json["status"], 422);
        assert_eq!(json["type"], "/problems/validation");
        assert_eq!(json["errors"][0]["pointer"], "/email");
        assert_eq!(json["errors"][0]["detail"], "Enter an email address");
    }

    #[test]
    fn server_side_failures_never_reveal_their_cause() {
        let error = AppError::Dependency("DynamoDB: secret internals".into());
        let response = problem_response(&error);
        assert_eq!(response.status(), 503);
        assert_eq!(response.headers()["content-type"], PROBLEM_CONTENT_TYPE);
        let body = match response.body() {
            Body::Text(text) => text.clone(),
            _ => String::new(),
        };
        assert!(!body.contains("secret internals"));
        assert_eq!(response.headers()["retry-after"], "1", "nothing was changed: try again in a moment");
    }

    #[test]
    fn unauthenticated_answers_ask_for_a_bearer_token() {
        let response = problem_response(&AppError::Unauthenticated("missing"));
        assert_eq!(response.status(), 401);
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
    }
}
