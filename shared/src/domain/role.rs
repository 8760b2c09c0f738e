//! Roles are held in an organisation; each role belongs to one kind of organisation.

use serde::{Deserialize, Serialize};

/// The three kinds of organisation the service knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    /// The national CQRS Service Desk.
    National,
    /// An ICB or sub-ICB location that commissions services.
    Commissioner,
    /// A GP practice, PCN, federation or other provider.
    Provider,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    ServiceDesk,
    CommissioningAdministrator,
    ApproverTier1,
    ApproverTier2,
    Finance,
    ProviderUser,
    ProviderApprover,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::ServiceDesk,
        Role::CommissioningAdministrator,
        Role::ApproverTier1,
        Role::ApproverTier2,
        Role::Finance,
        Role::ProviderUser,
        Role::ProviderApprover,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Role::ServiceDesk => "service_desk",
            Role::CommissioningAdministrator => "commissioning_administrator",
            Role::ApproverTier1 => "approver_tier1",
            Role::ApproverTier2 => "approver_tier2",
            Role::Finance => "finance",
            Role::ProviderUser => "provider_user",
            Role::ProviderApprover => "provider_approver",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::ServiceDesk => "Service Desk",
            Role::CommissioningAdministrator => "Commissioning Administrator",
            Role::ApproverTier1 => "Approver – Tier 1",
            Role::ApproverTier2 => "Approver – Tier 2",
            Role::Finance => "Finance",
            Role::ProviderUser => "User",
            Role::ProviderApprover => "Approver",
        }
    }

    pub fn parse(raw: &str) -> Result<Role, String> {
        Role::ALL.into_iter().find(|role| role.code() == raw).ok_or_else(|| {
            let known: Vec<_> = Role::ALL.iter().map(|r| r.code()).collect();
            format!("Choose a role: one of {}", known.join(", "))
        })
    }

    /// The kind of organisation in which this role can be held.
    pub fn organisation_kind(self) -> OrganisationKind {
        match self {
            Role::ServiceDesk => OrganisationKind::National,
            Role::CommissioningAdministrator | Role::ApproverTier1 | Role::ApproverTier2 | Role::Finance => {
                OrganisationKind::Commissioner
            }
            Role::ProviderUser | Role::ProviderApprover => OrganisationKind::Provider,
        }
    }

    /// Whether someone may ask for this role by self-registration (the Service Desk is appointed, not registered).
    pub fn open_to_registration(self) -> bool {
        self != Role::ServiceDesk
    }
}

/// A form's role field; `requestable` refuses roles nobody may ask for themselves.
pub fn required_role(value: Option<&str>, requestable: bool) -> Result<Role, String> {
    match value.map(str::trim) {
        None | Some("") => Err("Choose the role you need".to_string()),
        Some(raw) => Role::parse(raw).and_then(|role| {
            if requestable && !role.open_to_registration() {
                Err(format!("The {} role cannot be requested", role.label()))
            } else {
                Ok(role)
            }
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_round_trips_through_its_code() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()).unwrap(), role);
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.code()));
        }
    }

    #[test]
    fn unknown_role_lists_the_choices() {
        let message = Role::parse("superuser").unwrap_err();
        assert!(message.contains("provider_user"));
    }

    #[test]
    fn roles_belong_to_one_kind_of_organisation() {
        assert_eq!(Role::ProviderUser.organisation_kind(), OrganisationKind::Provider);
        assert_eq!(Role::ApproverTier2.organisation_kind(), OrganisationKind::Commissioner);
        assert_eq!(Role::ServiceDesk.organisation_kind(), OrganisationKind::National);
        assert!(!Role::ServiceDesk.open_to_registration());
    }
}
