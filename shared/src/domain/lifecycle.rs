//! Account and membership lifecycles: each step a function that refuses an
//! impossible transition with a plain explanation, so no Lambda can skip one.

use super::account::{AccountStatus, MembershipStatus};
use super::registration::TransitionRefused;
use super::validation::FieldErrors;
use serde::{Deserialize, Serialize};

impl MembershipStatus {
    /// Revoke: removes all access to that organisation.
    pub fn revoke(self) -> Result<MembershipStatus, TransitionRefused> {
        match self {
            MembershipStatus::Active => Ok(MembershipStatus::Revoked),
            MembershipStatus::Revoked => Err(refused("This access has already been revoked")),
            MembershipStatus::Pending => {
                Err(refused("This access has not been approved yet: review the request instead"))
            }
            MembershipStatus::Rejected => Err(refused("This access was never granted: the request was rejected")),
        }
    }

    /// Enable: gives back access that was revoked.
    pub fn enable(self) -> Result<MembershipStatus, TransitionRefused> {
        match self {
            MembershipStatus::Revoked => Ok(MembershipStatus::Active),
            MembershipStatus::Active => Err(refused("This access is already enabled")),
            MembershipStatus::Pending => {
                Err(refused("This access has not been approved yet: review the request instead"))
            }
            MembershipStatus::Rejected => Err(refused("This access was never granted: the request was rejected")),
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            MembershipStatus::Pending => "pending",
            MembershipStatus::Active => "active",
            MembershipStatus::Rejected => "rejected",
            MembershipStatus::Revoked => "revoked",
        }
    }
}

impl AccountStatus {
    /// Disable: the whole account, every organisation; data is kept.
    pub fn disable(self) -> Result<AccountStatus, TransitionRefused> {
        match self {
            AccountStatus::Active => Ok(AccountStatus::Disabled),
            AccountStatus::Disabled => Err(refused("This account is already disabled")),
            AccountStatus::Pending | AccountStatus::Rejected => {
                Err(refused("This account has not been set up yet, so it cannot be disabled"))
            }
        }
    }

    /// Enable Account: undoes a disable.
    pub fn enable(self) -> Result<AccountStatus, TransitionRefused> {
        match self {
            AccountStatus::Disabled => Ok(AccountStatus::Active),
            AccountStatus::Active => Err(refused("This account is already enabled")),
            AccountStatus::Pending | AccountStatus::Rejected => {
                Err(refused("This account has not been set up yet, so it cannot be enabled"))
            }
        }
    }
}

fn refused(message: &str) -> TransitionRefused {
    TransitionRefused(message.to_string())
}

/// Why an account is disabled (the seed's list, with "Other" needing detail).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "reason", content = "detail")]
pub enum DisableReason {
    LeftOrganisation,
    NoLongerRequiresAccess,
    DuplicateAccount,
    SecurityConcern,
    Other(String),
}

pub const OTHER_DETAIL_MAX: usize = 250;

impl DisableReason {
    /// Every reason as a form sends it.
    pub const CODES: &'static [&'static str] =
        &["left_organisation", "no_longer_requires_access", "duplicate_account", "security_concern", "other"];
}

/// The disable form as sent.
#[derive(Debug, Default, Deserialize)]
pub struct DisableForm {
    pub reason: Option<String>,
    pub detail: Option<String>,
}

/// A reason from the list; "other" with words of its own.
impl crate::edge::openapi::FormSchema for DisableForm {
    fn body_schema(operation: &mut crate::edge::openapi::Operation) -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
        use crate::edge::openapi::fields::{NOT_BLANK, PLAIN};
        let listed: Vec<&str> = DisableReason::CODES.iter().copied().filter(|code| *code != "other").collect();
        let detail = serde_json::json!({"type": "string", "maxLength": OTHER_DETAIL_MAX, "pattern": PLAIN});
        let schema = serde_json::json!({
            "type": "object",
            "required": ["reason"],
            "properties": {"reason": {"type": "string", "enum": DisableReason::CODES}, "detail": detail},
            "oneOf": [
                {"properties": {"reason": {"enum": listed}}},
                {
                    "description": "Other: why, in up to 250 characters",
                    "required": ["detail"],
                    "properties": {
                        "reason": {"const": "other"},
                        "detail": {"minLength": 1, "maxLength": OTHER_DETAIL_MAX, "pattern": NOT_BLANK},
                    },
                },
            ],
        });
        operation.schema_written("DisableForm", schema)
    }
}

impl DisableForm {
    pub fn validate(&self) -> Result<DisableReason, FieldErrors> {
        let sent = self.detail.as_deref().unwrap_or_default();
        if sent.chars().count() > OTHER_DETAIL_MAX {
            return Err(FieldErrors::single("detail", format!("Enter {OTHER_DETAIL_MAX} characters or fewer")));
        }
        let detail = Some(sent.trim()).filter(|d| !d.is_empty());
        match self.reason.as_deref() {
            Some("left_organisation") => Ok(DisableReason::LeftOrganisation),
            Some("no_longer_requires_access") => Ok(DisableReason::NoLongerRequiresAccess),
            Some("duplicate_account") => Ok(DisableReason::DuplicateAccount),
            Some("security_concern") => Ok(DisableReason::SecurityConcern),
            Some("other") => match detail {
                None => Err(FieldErrors::single("detail", "Enter why the account is being disabled")),
                Some(text) => super::nhs_number::refuse_pid(text)
                    .map(|_| DisableReason::Other(text.to_string()))
                    .map_err(|message| FieldErrors::single("detail", message)),
            },
            _ => Err(FieldErrors::single(
                "reason",
                "Choose why the account is being disabled: left the organisation, no longer requires access, \
                 duplicate account, security concern, or other",
            )),
        }
    }
}

impl DisableReason {
    pub fn label(&self) -> String {
        match self {
            DisableReason::LeftOrganisation => "Left the organisation".to_string(),
            DisableReason::NoLongerRequiresAccess => "No longer requires access".to_string(),
            DisableReason::DuplicateAccount => "Duplicate account".to_string(),
            DisableReason::SecurityConcern => "Security concern".to_string(),
            DisableReason::Other(detail) => format!("Other: {detail}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memberships_revoke_and_enable_only_from_the_right_state() {
        use MembershipStatus::*;
        assert_eq!(Active.revoke(), Ok(Revoked));
        assert_eq!(Revoked.enable(), Ok(Active));
        assert!(Revoked.revoke().unwrap_err().0.contains("already been revoked"));
        assert!(Active.enable().unwrap_err().0.contains("already enabled"));
        for status in [Pending, Rejected] {
            assert!(status.revoke().is_err());
            assert!(status.enable().is_err());
        }
    }

    #[test]
    fn accounts_disable_and_enable_only_from_the_right_state() {
        use AccountStatus::*;
        assert_eq!(Active.disable(), Ok(Disabled));
        assert_eq!(Disabled.enable(), Ok(Active));
        assert!(Disabled.disable().unwrap_err().0.contains("already disabled"));
        assert!(Active.enable().is_err());
        for status in [Pending, Rejected] {
            assert!(status.disable().is_err());
            assert!(status.enable().is_err());
        }
    }

    #[test]
    fn other_needs_one_to_250_characters_of_detail() {
        let form = |reason: &str, detail: Option<&str>| DisableForm {
            reason: Some(reason.into()),
            detail: detail.map(Into::into),
        };
        assert_eq!(form("left_organisation", None).validate(), Ok(DisableReason::LeftOrganisation));
        assert!(form("other", None).validate().is_err());
        assert!(form("other", Some("   ")).validate().is_err());
        assert_eq!(form("other", Some(&"x".repeat(250))).validate(), Ok(DisableReason::Other("x".repeat(250))));
        assert!(form("other", Some(&"x".repeat(251))).validate().unwrap_err().iter().any(|e| e.pointer == "/detail"));
        assert!(form("other", Some("NHS 943 476 5919")).validate().is_err());
        assert!(form("bored", None).validate().unwrap_err().iter().any(|e| e.pointer == "/reason"));
        assert_eq!(DisableReason::Other("Moved to ICB".into()).label(), "Other: Moved to ICB");
    }
}
