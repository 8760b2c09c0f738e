//! What the routes that bring people in answer: a registration or an access
//! request received, decided or completed; an invitation previewed, sent,
//! resent, cancelled or accepted.

use super::accounts::RoleView;
use crate::domain::ods::OdsCode;
use crate::domain::role::Role;
use crate::domain::timestamp::Timestamp;
use serde::Serialize;

/// A registration or an access request, received: waiting for its review.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestReceived<'a> {
    pub id: &'a str,
    /// Always `pending`: it waits for an administrator.
    pub status: &'static str,
    pub organisation_code: &'a OdsCode,
    pub organisation_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    /// What happens next, in words, for the person who registered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<&'static str>,
}

/// A decision made on something: which, where it is now, and whether the
/// email telling of it went (`queued`, `failed`, …).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Decided<'a, S: Serialize> {
    pub id: &'a str,
    #[schema(inline)]
    pub status: S,
    pub notification: &'a str,
}

/// A registration completed: the person can sign in.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RegistrationComplete<'a> {
    /// Always `active`.
    pub status: &'static str,
    pub email: &'a str,
    pub message: &'static str,
}

/// An invitation accepted: the role it gave, where.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvitationAccepted<'a> {
    /// Always `accepted`.
    pub status: &'static str,
    pub organisation_code: &'a OdsCode,
    pub organisation_name: &'a str,
    pub role: RoleView,
}

/// An invitation sent, resent or cancelled: where it stands now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvitationChanged<'a> {
    pub id: &'a str,
    /// `pending` once sent or resent, `cancelled` once cancelled.
    pub status: &'static str,
    /// Whether the email already had an account (sent only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub existing_account: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notification: Option<&'a str>,
}

/// The email an invitation would send.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MailPreview<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
}

/// Step 6 of inviting: what would be sent (nothing is, yet).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvitationPreview<'a> {
    pub preview: bool,
    pub existing_account: bool,
    pub email: MailPreview<'a>,
}
