//! A person asking for an account in an organisation, and its review lifecycle.

use super::email::Email;
use super::nhs_number::refuse_pid;
use super::ods::{required_ods_code, OdsCode};
use super::person::parse_name;
use super::role::{required_role, Role};
use super::validation::{required_text, FieldErrors};
use serde::{Deserialize, Serialize};

/// The registration form as sent; every field optional so each missing one is reported.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = RegisterForm)]
pub struct RegistrationForm {
    #[schema(value_type = crate::edge::openapi::fields::Email, required = true)]
    pub email: Option<String>,
    #[schema(value_type = crate::edge::openapi::fields::PersonName, required = true)]
    pub first_name: Option<String>,
    #[schema(value_type = crate::edge::openapi::fields::PersonName, required = true)]
    pub last_name: Option<String>,
    #[schema(value_type = crate::domain::ods::OdsCode, required = true)]
    pub organisation_code: Option<String>,
    #[schema(value_type = crate::edge::openapi::fields::RequestableRole, required = true)]
    pub role: Option<String>,
}

/// A registration form whose fields are each valid on their own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidRegistration {
    pub email: Email,
    pub first_name: String,
    pub last_name: String,
    pub organisation_code: OdsCode,
    pub role: Role,
}

impl RegistrationForm {
    pub fn validate(&self) -> Result<ValidRegistration, FieldErrors> {
        let mut errors = FieldErrors::new();
        let email = errors.check(
            "email",
            Email::parse(self.email.as_deref().unwrap_or_default())
                .and_then(|email| refuse_pid(email.as_str()).map(|_| email)),
        );
        let first_name = errors.check("firstName", parse_name(self.first_name.as_deref(), "a first name"));
        let last_name = errors.check("lastName", parse_name(self.last_name.as_deref(), "a last name"));
        let organisation_code = errors.check(
            "organisationCode",
            required_ods_code(
                self.organisation_code.as_deref(),
                "Enter your organisation's ODS code, for example A81001",
            ),
        );
        let role = errors.check("role", required_role(self.role.as_deref(), true));
        match (email, first_name, last_name, organisation_code, role) {
            (Some(email), Some(first_name), Some(last_name), Some(organisation_code), Some(role))
                if errors.is_empty() =>
            {
                Ok(ValidRegistration { email, first_name, last_name, organisation_code, role })
            }
            _ => Err(errors),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationStatus {
    /// Waiting for an administrator (or the Service Desk).
    Pending,
    /// Approved; waiting for the person to complete it from the emailed link.
    Approved,
    Rejected,
    /// The person set a password; the account is active.
    Completed,
}

/// The review form as sent.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReviewForm {
    #[schema(schema_with = crate::edge::openapi::fields::approve_or_reject, required = true)]
    pub decision: Option<String>,
    #[schema(value_type = crate::edge::openapi::fields::Reason, required = false)]
    pub reason: Option<String>,
}

pub const REASON_MAX: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    Approve,
    Reject { reason: String },
}

impl ReviewForm {
    pub fn validate(&self) -> Result<Decision, FieldErrors> {
        let reason = self.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
        match self.decision.as_deref().map(str::trim) {
            Some("approve") => Ok(Decision::Approve),
            Some("reject") => {
                let reason = required_text(reason, "the reason for rejecting this registration", REASON_MAX)
                    .and_then(|reason| refuse_pid(&reason).map(|_| reason))
                    .map_err(|detail| FieldErrors::single("reason", detail))?;
                Ok(Decision::Reject { reason })
            }
            _ => Err(FieldErrors::single("decision", "Choose approve or reject")),
        }
    }
}

/// Why a transition is impossible from the current status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TransitionRefused(pub String);

impl RegistrationStatus {
    /// The status after a review decision, if the registration is still awaiting one.
    pub fn decide(self, decision: &Decision) -> Result<RegistrationStatus, TransitionRefused> {
        match (self, decision) {
            (RegistrationStatus::Pending, Decision::Approve) => Ok(RegistrationStatus::Approved),
            (RegistrationStatus::Pending, Decision::Reject { .. }) => Ok(RegistrationStatus::Rejected),
            (other, _) => Err(TransitionRefused(format!(
                "This registration has already been reviewed: it is {}",
                other.describe()
            ))),
        }
    }

    /// The status after the person completes registration from the emailed link.
    pub fn complete(self) -> Result<RegistrationStatus, TransitionRefused> {
        match self {
            RegistrationStatus::Approved => Ok(RegistrationStatus::Completed),
            other => {
                Err(TransitionRefused(format!("This registration cannot be completed: it is {}", other.describe())))
            }
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            RegistrationStatus::Pending => "waiting for review",
            RegistrationStatus::Approved => "approved and waiting to be completed",
            RegistrationStatus::Rejected => "rejected",
            RegistrationStatus::Completed => "completed",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> RegistrationForm {
        RegistrationForm {
            email: Some("Jane.Smith@nhs.net".into()),
            first_name: Some("Jane".into()),
            last_name: Some("Smith".into()),
            organisation_code: Some("a81001".into()),
            role: Some("provider_user".into()),
        }
    }

    #[test]
    fn a_complete_form_is_valid_and_normalised() {
        let valid = form().validate().unwrap();
        assert_eq!(valid.email.as_str(), "jane.smith@nhs.net");
        assert_eq!(valid.organisation_code.as_str(), "A81001");
        assert_eq!(valid.role, Role::ProviderUser);
    }

    #[test]
    fn an_empty_form_reports_every_field() {
        let errors = RegistrationForm::default().validate().unwrap_err();
        let pointers: Vec<_> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/email", "/firstName", "/lastName", "/organisationCode", "/role"]);
    }

    #[test]
    fn an_nhs_number_in_the_email_is_refused() {
        let errors = RegistrationForm { email: Some("gp.9434765919@nhs.net".into()), ..form() }.validate().unwrap_err();
        assert!(errors.iter().any(|e| e.pointer == "/email" && e.detail.contains("NHS number")));
    }

    #[test]
    fn service_desk_cannot_be_requested() {
        let errors = RegistrationForm { role: Some("service_desk".into()), ..form() }.validate().unwrap_err();
        assert!(errors.iter().any(|e| e.pointer == "/role" && e.detail.contains("cannot be requested")));
    }

    #[test]
    fn rejecting_needs_a_reason_without_pid() {
        let reject = |reason: Option<&str>| {
            ReviewForm { decision: Some("reject".into()), reason: reason.map(Into::into) }.validate()
        };
        assert!(reject(None).unwrap_err().iter().any(|e| e.pointer == "/reason"));
        assert!(reject(Some("  ")).is_err());
        assert!(reject(Some("Patient 9434765919")).is_err());
        assert_eq!(reject(Some("Generic mailbox")).unwrap(), Decision::Reject { reason: "Generic mailbox".into() });
        let approve = ReviewForm { decision: Some("approve".into()), reason: None };
        assert_eq!(approve.validate().unwrap(), Decision::Approve);
        assert!(ReviewForm { decision: Some("maybe".into()), reason: None }.validate().is_err());
    }

    #[test]
    fn only_a_pending_registration_can_be_decided() {
        use RegistrationStatus::*;
        let reject = Decision::Reject { reason: "r".into() };
        assert_eq!(Pending.decide(&Decision::Approve), Ok(Approved));
        assert_eq!(Pending.decide(&reject), Ok(Rejected));
        for status in [Approved, Rejected, Completed] {
            assert!(status.decide(&Decision::Approve).unwrap_err().0.contains("already been reviewed"));
            assert!(status.decide(&reject).is_err());
        }
    }

    #[test]
    fn only_an_approved_registration_can_be_completed() {
        use RegistrationStatus::*;
        assert_eq!(Approved.complete(), Ok(Completed));
        for status in [Pending, Rejected, Completed] {
            assert!(status.complete().is_err());
        }
    }
}
