//! Organisations and who reviews the registrations made to them.

use super::ods::OdsCode;
use super::role::{OrganisationKind, Role};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organisation {
    pub code: OdsCode,
    pub name: String,
    pub kind: OrganisationKind,
    /// For a provider, the commissioner that commissions it.
    pub commissioner: Option<OdsCode>,
}

/// Where a registration waits for review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewQueue {
    /// The Commissioning Administrators of this commissioner.
    Commissioner(OdsCode),
    /// The national Service Desk (registrations for commissioner roles).
    ServiceDesk,
}

impl ReviewQueue {
    pub fn key(&self) -> String {
        match self {
            ReviewQueue::Commissioner(code) => format!("ORG#{code}"),
            ReviewQueue::ServiceDesk => "SERVICE_DESK".to_string(),
        }
    }

    pub fn from_key(key: &str) -> Option<Self> {
        if key == "SERVICE_DESK" {
            return Some(ReviewQueue::ServiceDesk);
        }
        let code = key.strip_prefix("ORG#")?;
        OdsCode::parse(code).ok().map(ReviewQueue::Commissioner)
    }

    /// How the queue is named to people (and in the `organisation` query parameter).
    pub fn label(&self) -> String {
        match self {
            ReviewQueue::Commissioner(code) => code.to_string(),
            ReviewQueue::ServiceDesk => "service-desk".to_string(),
        }
    }

    /// The role a reviewer must hold, and where (None = in the national organisation).
    pub fn reviewer(&self) -> (Role, Option<&OdsCode>) {
        match self {
            ReviewQueue::Commissioner(code) => (Role::CommissioningAdministrator, Some(code)),
            ReviewQueue::ServiceDesk => (Role::ServiceDesk, None),
        }
    }
}

impl Organisation {
    /// Checks the role can be held here, and says who reviews a request for it.
    pub fn review_queue_for(&self, role: Role) -> Result<ReviewQueue, String> {
        if role.organisation_kind() != self.kind || !role.open_to_registration() {
            return Err(format!("The role {} cannot be held at {} ({})", role.label(), self.name, self.code));
        }
        match self.kind {
            OrganisationKind::Provider => self
                .commissioner
                .clone()
                .map(ReviewQueue::Commissioner)
                .ok_or_else(|| format!("{} ({}) has no commissioner to review registrations", self.name, self.code)),
            // The Service Desk approves Commissioning Administrators; the ICB's
            // administrators approve its other roles.
            OrganisationKind::Commissioner if role == Role::CommissioningAdministrator => Ok(ReviewQueue::ServiceDesk),
            OrganisationKind::Commissioner => Ok(ReviewQueue::Commissioner(self.code.clone())),
            OrganisationKind::National => Err("The Service Desk does not accept registrations".to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn practice() -> Organisation {
        Organisation {
            code: OdsCode::parse("A81001").unwrap(),
            name: "Riverside Surgery".into(),
            kind: OrganisationKind::Provider,
            commissioner: Some(OdsCode::parse("QHM").unwrap()),
        }
    }

    #[test]
    fn practice_registrations_go_to_their_commissioner() {
        let queue = practice().review_queue_for(Role::ProviderUser).unwrap();
        assert_eq!(queue, ReviewQueue::Commissioner(OdsCode::parse("QHM").unwrap()));
        assert_eq!(queue.key(), "ORG#QHM");
        assert_eq!(ReviewQueue::from_key(&queue.key()), Some(queue));
    }

    #[test]
    fn commissioner_registrations_go_to_the_service_desk() {
        let icb = Organisation {
            code: OdsCode::parse("QHM").unwrap(),
            name: "North East ICB".into(),
            kind: OrganisationKind::Commissioner,
            commissioner: None,
        };
        assert_eq!(icb.review_queue_for(Role::CommissioningAdministrator).unwrap(), ReviewQueue::ServiceDesk);
        assert_eq!(icb.review_queue_for(Role::ApproverTier1).unwrap(), ReviewQueue::Commissioner(icb.code.clone()));
        assert_eq!(ReviewQueue::from_key("SERVICE_DESK"), Some(ReviewQueue::ServiceDesk));
    }

    #[test]
    fn a_role_of_the_wrong_kind_is_refused() {
        let message = practice().review_queue_for(Role::ApproverTier1).unwrap_err();
        assert!(message.contains("cannot be held at Riverside Surgery"));
        assert!(practice().review_queue_for(Role::ServiceDesk).is_err());
    }
}
