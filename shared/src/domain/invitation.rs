//! Invitations: an administrator invites a person (new or existing) to a role in
//! an organisation — the seed's six steps: email, name, organisation, role,
//! preview, send. The emailed link is single-use and expires.

use super::email::Email;
use super::nhs_number::refuse_pid;
use super::ods::{required_ods_code, OdsCode};
use super::person::parse_name;
use super::registration::TransitionRefused;
use super::role::{required_role, Role};
use super::validation::FieldErrors;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = InviteForm)]
pub struct InvitationForm {
    #[schema(value_type = crate::edge::openapi::fields::Email, required = true)]
    pub email: Option<String>,
    #[schema(value_type = crate::edge::openapi::fields::PersonName, required = false)]
    pub first_name: Option<String>,
    #[schema(value_type = crate::edge::openapi::fields::PersonName, required = false)]
    pub last_name: Option<String>,
    #[schema(value_type = crate::domain::ods::OdsCode, required = true)]
    pub organisation_code: Option<String>,
    #[schema(value_type = crate::domain::role::Role, required = true)]
    pub role: Option<String>,
    /// Step 6's check: return the email that would be sent, send nothing.
    #[serde(default)]
    #[schema(schema_with = crate::edge::openapi::fields::preview)]
    pub preview: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidInvitation {
    pub email: Email,
    /// Required only for a person without an account.
    pub name: Option<(String, String)>,
    pub organisation_code: OdsCode,
    pub role: Role,
    pub preview: bool,
}

impl InvitationForm {
    pub fn validate(&self) -> Result<ValidInvitation, FieldErrors> {
        let mut errors = FieldErrors::new();
        let email = errors.check(
            "email",
            Email::parse(self.email.as_deref().unwrap_or_default())
                .and_then(|email| refuse_pid(email.as_str()).map(|_| email)),
        );
        let given = |value: &Option<String>| value.as_deref().is_some_and(|v| !v.trim().is_empty());
        let name = if given(&self.first_name) || given(&self.last_name) {
            let first = errors.check("firstName", parse_name(self.first_name.as_deref(), "a first name"));
            let last = errors.check("lastName", parse_name(self.last_name.as_deref(), "a last name"));
            first.zip(last)
        } else {
            None
        };
        let organisation_code = errors.check(
            "organisationCode",
            required_ods_code(self.organisation_code.as_deref(), "Choose the organisation to invite them to"),
        );
        let role = errors.check("role", required_role(self.role.as_deref(), false));
        match (email, organisation_code, role) {
            (Some(email), Some(organisation_code), Some(role)) if errors.is_empty() => {
                Ok(ValidInvitation { email, name, organisation_code, role, preview: self.preview })
            }
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Cancelled,
}

impl InvitationStatus {
    pub fn accept(self) -> Result<InvitationStatus, TransitionRefused> {
        match self {
            InvitationStatus::Pending => Ok(InvitationStatus::Accepted),
            InvitationStatus::Accepted => Err(TransitionRefused(
                "This invitation has already been accepted. Sign in with your email address and password".into(),
            )),
            InvitationStatus::Cancelled => Err(TransitionRefused(
                "This invitation was cancelled. Ask your administrator for a new one if you still need access".into(),
            )),
        }
    }

    pub fn cancel(self) -> Result<InvitationStatus, TransitionRefused> {
        match self {
            InvitationStatus::Pending => Ok(InvitationStatus::Cancelled),
            InvitationStatus::Accepted => Err(TransitionRefused("This invitation has already been accepted".into())),
            InvitationStatus::Cancelled => Err(TransitionRefused("This invitation has already been cancelled".into())),
        }
    }

    /// Resending issues a new link (the old one stops working); only while pending.
    pub fn resend(self) -> Result<InvitationStatus, TransitionRefused> {
        match self {
            InvitationStatus::Pending => Ok(InvitationStatus::Pending),
            other => other.cancel().map(|_| InvitationStatus::Pending),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> InvitationForm {
        InvitationForm {
            email: Some("New.Person@nhs.net".into()),
            first_name: Some("New".into()),
            last_name: Some("Person".into()),
            organisation_code: Some("A81001".into()),
            role: Some("provider_user".into()),
            preview: false,
        }
    }

    #[test]
    fn a_complete_invitation_is_valid() {
        let valid = form().validate().unwrap();
        assert_eq!(valid.email.as_str(), "new.person@nhs.net");
        assert_eq!(valid.name, Some(("New".into(), "Person".into())));
        assert_eq!(valid.role, Role::ProviderUser);
    }

    #[test]
    fn names_are_optional_for_an_existing_person_but_checked_when_given() {
        let without = InvitationForm { first_name: None, last_name: None, ..form() }.validate().unwrap();
        assert_eq!(without.name, None);
        let half = InvitationForm { last_name: None, ..form() }.validate().unwrap_err();
        assert!(half.iter().any(|e| e.pointer == "/lastName"));
    }

    #[test]
    fn every_missing_field_is_reported() {
        let errors = InvitationForm::default().validate().unwrap_err();
        let pointers: Vec<_> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/email", "/organisationCode", "/role"]);
    }

    #[test]
    fn only_a_pending_invitation_is_accepted_cancelled_or_resent() {
        use InvitationStatus::*;
        assert_eq!(Pending.accept(), Ok(Accepted));
        assert_eq!(Pending.cancel(), Ok(Cancelled));
        assert_eq!(Pending.resend(), Ok(Pending));
        assert!(Accepted.accept().unwrap_err().0.contains("already been accepted"));
        assert!(Cancelled.accept().unwrap_err().0.contains("cancelled"));
        assert!(Cancelled.cancel().is_err());
        assert!(Accepted.resend().is_err());
        assert!(Cancelled.resend().is_err());
    }
}
