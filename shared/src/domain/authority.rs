//! What an administrator may do, and where. An administrator acts only within
//! the organisations they administer and the providers those commission; nobody
//! grants a role they could not grant by their own standing, or changes their own.

use super::account::Caller;
use super::organisation::Organisation;
use super::role::{OrganisationKind, Role};

/// Why an administrative action is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The organisation is outside the caller's administration.
    NotYourOrganisation,
    /// The role cannot be held in that kind of organisation.
    WrongKindOfOrganisation(String),
    /// Only the Service Desk grants this role.
    ReservedRole(String),
    /// Administrators cannot change their own access.
    OwnAccess,
}

impl Refusal {
    pub fn message(&self) -> String {
        match self {
            Refusal::NotYourOrganisation => "You can only manage users in organisations you administer".to_string(),
            Refusal::WrongKindOfOrganisation(detail) | Refusal::ReservedRole(detail) => detail.clone(),
            Refusal::OwnAccess => "You cannot change your own access: ask another administrator".to_string(),
        }
    }
}

impl Caller {
    pub fn is_service_desk(&self) -> bool {
        !self.organisations_with(Role::ServiceDesk).is_empty()
    }

    /// Commissioners administer themselves and the providers they commission;
    /// the Service Desk administers commissioners (it approves their administrators).
    pub fn administers(&self, organisation: &Organisation) -> bool {
        match organisation.kind {
            OrganisationKind::Commissioner => {
                self.holds(Role::CommissioningAdministrator, &organisation.code) || self.is_service_desk()
            }
            OrganisationKind::Provider => organisation
                .commissioner
                .as_ref()
                .is_some_and(|commissioner| self.holds(Role::CommissioningAdministrator, commissioner)),
            OrganisationKind::National => self.holds(Role::ServiceDesk, &organisation.code),
        }
    }

    pub fn may_administer(&self, organisation: &Organisation) -> Result<(), Refusal> {
        if self.administers(organisation) {
            Ok(())
        } else {
            Err(Refusal::NotYourOrganisation)
        }
    }

    /// Whether the caller may give `role` at `organisation` to someone else.
    pub fn may_grant(&self, role: Role, organisation: &Organisation) -> Result<(), Refusal> {
        if role.organisation_kind() != organisation.kind {
            return Err(Refusal::WrongKindOfOrganisation(format!(
                "The role {} cannot be held at {} ({})",
                role.label(),
                organisation.name,
                organisation.code
            )));
        }
        if role == Role::ServiceDesk && !self.is_service_desk() {
            return Err(Refusal::ReservedRole("Only the Service Desk can grant the Service Desk role".to_string()));
        }
        self.may_administer(organisation)
    }

    /// Whether the caller may change this person's access in this organisation.
    pub fn may_manage(&self, user_id: &str, organisation: &Organisation) -> Result<(), Refusal> {
        if user_id == self.user_id {
            return Err(Refusal::OwnAccess);
        }
        self.may_administer(organisation)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::account::{AccountStatus, Membership, MembershipStatus};
    use crate::domain::ods::OdsCode;

    fn org(code: &str, kind: OrganisationKind, commissioner: Option<&str>) -> Organisation {
        Organisation {
            code: OdsCode::parse(code).unwrap(),
            name: code.to_string(),
            kind,
            commissioner: commissioner.map(|c| OdsCode::parse(c).unwrap()),
        }
    }

    fn caller(memberships: &[(&str, Role)]) -> Caller {
        Caller {
            user_id: "me".into(),
            email: "me@nhs.net".into(),
            status: AccountStatus::Active,
            memberships: memberships
                .iter()
                .map(|(code, role)| Membership {
                    organisation_code: OdsCode::parse(code).unwrap(),
                    organisation_name: code.to_string(),
                    role: *role,
                    status: MembershipStatus::Active,
                })
                .collect(),
        }
    }

    #[test]
    fn an_icb_administrator_manages_the_icb_and_its_practices_only() {
        let admin = caller(&[("QHM", Role::CommissioningAdministrator)]);
        assert!(admin.administers(&org("QHM", OrganisationKind::Commissioner, None)));
        assert!(admin.administers(&org("A81001", OrganisationKind::Provider, Some("QHM"))));
        assert!(!admin.administers(&org("QOQ", OrganisationKind::Commissioner, None)));
        assert!(!admin.administers(&org("B81001", OrganisationKind::Provider, Some("QOQ"))));
        assert!(!admin.administers(&org("X26", OrganisationKind::National, None)));
    }

    #[test]
    fn roles_are_granted_only_where_they_can_be_held_and_by_those_who_may() {
        let admin = caller(&[("QHM", Role::CommissioningAdministrator)]);
        let practice = org("A81001", OrganisationKind::Provider, Some("QHM"));
        let icb = org("QHM", OrganisationKind::Commissioner, None);
        assert_eq!(admin.may_grant(Role::ProviderUser, &practice), Ok(()));
        assert_eq!(admin.may_grant(Role::ApproverTier1, &icb), Ok(()));
        assert!(matches!(admin.may_grant(Role::ApproverTier1, &practice), Err(Refusal::WrongKindOfOrganisation(_))));
        let desk = org("X26", OrganisationKind::National, None);
        assert!(matches!(admin.may_grant(Role::ServiceDesk, &desk), Err(Refusal::ReservedRole(_))));
        let other = org("B81001", OrganisationKind::Provider, Some("QOQ"));
        assert_eq!(admin.may_grant(Role::ProviderUser, &other), Err(Refusal::NotYourOrganisation));
    }

    #[test]
    fn the_service_desk_manages_commissioners_but_not_practices() {
        let desk = caller(&[("X26", Role::ServiceDesk)]);
        assert!(desk.administers(&org("QHM", OrganisationKind::Commissioner, None)));
        assert_eq!(
            desk.may_grant(Role::CommissioningAdministrator, &org("QOQ", OrganisationKind::Commissioner, None)),
            Ok(())
        );
        assert!(!desk.administers(&org("A81001", OrganisationKind::Provider, Some("QHM"))));
    }

    #[test]
    fn nobody_changes_their_own_access() {
        let admin = caller(&[("QHM", Role::CommissioningAdministrator)]);
        let icb = org("QHM", OrganisationKind::Commissioner, None);
        assert_eq!(admin.may_manage("me", &icb), Err(Refusal::OwnAccess));
        assert_eq!(admin.may_manage("someone-else", &icb), Ok(()));
        let practice_user = caller(&[("A81001", Role::ProviderUser)]);
        assert_eq!(practice_user.may_manage("x", &icb), Err(Refusal::NotYourOrganisation));
    }
}
