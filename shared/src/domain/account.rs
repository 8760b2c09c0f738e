//! Accounts (one per person) and memberships (a role held in an organisation).

use super::ods::OdsCode;
use super::organisation::ReviewQueue;
use super::role::Role;
use crate::domain::role::OrganisationKind;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccountStatus {
    /// Registered; not yet able to sign in.
    Pending,
    Active,
    /// Switched off account-wide; data kept for audit.
    Disabled,
    /// The registration that created it was rejected.
    Rejected,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MembershipStatus {
    Pending,
    Active,
    Rejected,
    Revoked,
}

impl MembershipStatus {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "pending" => Ok(Self::Pending),
            "active" => Ok(Self::Active),
            "rejected" => Ok(Self::Rejected),
            "revoked" => Ok(Self::Revoked),
            _ => Err("Status must be pending, active, revoked or rejected".to_string()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Membership {
    pub organisation_code: OdsCode,
    pub organisation_name: String,
    pub role: Role,
    pub status: MembershipStatus,
}

impl Membership {
    pub fn grants(&self, role: Role, organisation: &OdsCode) -> bool {
        self.status == MembershipStatus::Active && self.role == role && &self.organisation_code == organisation
    }
}

/// What a signed-in caller may do comes from here, loaded from the table on every request.
#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: String,
    pub email: String,
    pub status: AccountStatus,
    pub memberships: Vec<Membership>,
}

impl Caller {
    pub fn holds(&self, role: Role, organisation: &OdsCode) -> bool {
        self.memberships.iter().any(|m| m.grants(role, organisation))
    }

    /// Organisations where the caller actively holds the role.
    pub fn organisations_with(&self, role: Role) -> Vec<&OdsCode> {
        self.memberships
            .iter()
            .filter(|m| m.status == MembershipStatus::Active && m.role == role)
            .map(|m| &m.organisation_code)
            .collect()
    }

    /// The registration queues this caller may review.
    pub fn review_queues(&self) -> Vec<ReviewQueue> {
        let mut queues: Vec<ReviewQueue> = self
            .organisations_with(Role::CommissioningAdministrator)
            .into_iter()
            .cloned()
            .map(ReviewQueue::Commissioner)
            .collect();
        if !self.organisations_with(Role::ServiceDesk).is_empty() {
            queues.push(ReviewQueue::ServiceDesk);
        }
        queues
    }

    pub fn may_review(&self, queue: &ReviewQueue) -> bool {
        self.review_queues().contains(queue)
    }

    /// Picks the queue a work-list request is about: the one asked for, or the
    /// only one the caller has.
    pub fn choose_review_queue(&self, requested: Option<&str>) -> Result<ReviewQueue, QueueChoice> {
        let queues = self.review_queues();
        if queues.is_empty() {
            return Err(QueueChoice::NotAReviewer);
        }
        match requested.map(str::trim) {
            Some(raw) => {
                let wanted = if raw.eq_ignore_ascii_case("service-desk") {
                    Some(ReviewQueue::ServiceDesk)
                } else {
                    OdsCode::parse(raw).ok().map(ReviewQueue::Commissioner)
                };
                wanted.filter(|q| queues.contains(q)).ok_or(QueueChoice::NotYours)
            }
            None if queues.len() == 1 => Ok(queues[0].clone()),
            None => Err(QueueChoice::ChooseOne(queues.iter().map(ReviewQueue::label).collect())),
        }
    }
}

/// Why no review queue could be chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueueChoice {
    NotAReviewer,
    NotYours,
    ChooseOne(Vec<String>),
}

/// Which organisations the caller acts for, by kind.
impl Caller {
    /// Organisations where the caller holds any active role.
    pub fn active_organisations(&self) -> impl Iterator<Item = &OdsCode> {
        self.memberships.iter().filter(|m| m.status == MembershipStatus::Active).map(|m| &m.organisation_code)
    }

    pub fn is_provider_member(&self, provider: &OdsCode) -> bool {
        self.holds(Role::ProviderUser, provider) || self.holds(Role::ProviderApprover, provider)
    }

    /// Commissioners where the caller holds any active role, each once.
    pub fn commissioners(&self) -> Vec<OdsCode> {
        let mut codes: Vec<OdsCode> = self
            .memberships
            .iter()
            .filter(|m| {
                m.status == MembershipStatus::Active && m.role.organisation_kind() == OrganisationKind::Commissioner
            })
            .map(|m| m.organisation_code.clone())
            .collect();
        codes.sort();
        codes.dedup();
        codes
    }

    /// Providers where the caller is an active user or approver, each once.
    pub fn providers(&self) -> Vec<OdsCode> {
        let mut codes: Vec<OdsCode> =
            self.active_organisations().filter(|code| self.is_provider_member(code)).cloned().collect();
        codes.sort();
        codes.dedup();
        codes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn membership(code: &str, role: Role, status: MembershipStatus) -> Membership {
        Membership { organisation_code: OdsCode::parse(code).unwrap(), organisation_name: code.into(), role, status }
    }

    #[test]
    fn only_active_memberships_grant_their_role_in_their_organisation() {
        let caller = Caller {
            user_id: "u".into(),
            email: "e@nhs.net".into(),
            status: AccountStatus::Active,
            memberships: vec![
                membership("QHM", Role::CommissioningAdministrator, MembershipStatus::Active),
                membership("QOQ", Role::CommissioningAdministrator, MembershipStatus::Revoked),
            ],
        };
        let qhm = OdsCode::parse("QHM").unwrap();
        let qoq = OdsCode::parse("QOQ").unwrap();
        assert!(caller.holds(Role::CommissioningAdministrator, &qhm));
        assert!(!caller.holds(Role::ApproverTier1, &qhm));
        assert!(!caller.holds(Role::CommissioningAdministrator, &qoq));
        assert_eq!(caller.organisations_with(Role::CommissioningAdministrator), vec![&qhm]);
    }

    fn admin_of(codes: &[&str]) -> Caller {
        Caller {
            user_id: "u".into(),
            email: "e@nhs.net".into(),
            status: AccountStatus::Active,
            memberships: codes
                .iter()
                .map(|c| membership(c, Role::CommissioningAdministrator, MembershipStatus::Active))
                .collect(),
        }
    }

    #[test]
    fn an_administrator_of_one_commissioner_reviews_its_queue() {
        let caller = admin_of(&["QHM"]);
        let qhm = ReviewQueue::Commissioner(OdsCode::parse("QHM").unwrap());
        assert_eq!(caller.choose_review_queue(None), Ok(qhm.clone()));
        assert_eq!(caller.choose_review_queue(Some("qhm")), Ok(qhm.clone()));
        assert!(caller.may_review(&qhm));
        assert_eq!(caller.choose_review_queue(Some("QOQ")), Err(QueueChoice::NotYours));
        assert_eq!(caller.choose_review_queue(Some("service-desk")), Err(QueueChoice::NotYours));
    }

    #[test]
    fn an_administrator_of_several_must_choose() {
        let caller = admin_of(&["QHM", "QOQ"]);
        assert!(matches!(caller.choose_review_queue(None), Err(QueueChoice::ChooseOne(list)) if list.len() == 2));
    }

    #[test]
    fn practice_users_review_nothing() {
        let mut caller = admin_of(&[]);
        caller.memberships.push(membership("A81001", Role::ProviderUser, MembershipStatus::Active));
        assert_eq!(caller.choose_review_queue(None), Err(QueueChoice::NotAReviewer));
    }
}
