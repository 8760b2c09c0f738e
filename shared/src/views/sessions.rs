//! What the session routes answer: signed in (the access token; the refresh
//! token goes in a cookie, never in the body), a code wanted, or signed out.

use serde::Serialize;

/// Signed in, or a session renewed: the access token and how long it lasts.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Session<'a> {
    /// Present (true) when the answer is to signing in; absent on a renewal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signed_in: Option<bool>,
    pub access_token: &'a str,
    /// Seconds.
    pub expires_in: i32,
    pub email: Option<&'a str>,
}

/// The password was right; the authenticator app's code is wanted next, with this session.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CodeWanted<'a> {
    pub signed_in: bool,
    pub code_wanted: bool,
    pub session: &'a str,
}

/// Signed out: the session cookie is cleared.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignedOut {
    pub signed_in: bool,
}
