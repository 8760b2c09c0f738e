//! Organisations and who reviews the registrations made to them.

use super::money::Money;
use super::ods::{required_ods_code, OdsCode};
use super::role::{OrganisationKind, Role};
use super::validation::{required_text, FieldErrors};
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

impl Organisation {
    /// How emails and messages name it: "The Densham Surgery (A81001)".
    pub fn label(&self) -> String {
        format!("{} ({})", self.name, self.code)
    }
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

/// What an organisation is, as commissioners and the ODS describe it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationType {
    National,
    Icb,
    SubIcbLocation,
    GpPractice,
    Pcn,
    Federation,
    Other,
}

impl OrganisationType {
    pub fn kind(self) -> OrganisationKind {
        match self {
            OrganisationType::National => OrganisationKind::National,
            OrganisationType::Icb | OrganisationType::SubIcbLocation => OrganisationKind::Commissioner,
            _ => OrganisationKind::Provider,
        }
    }

    /// A type an administrator may give: the national Service Desk is set up, never added.
    pub fn parse(raw: &str) -> Result<Self, String> {
        serde_json::from_value(serde_json::Value::String(raw.to_string()))
            .ok()
            .filter(|kind| *kind != OrganisationType::National)
            .ok_or_else(|| "Choose a type: icb, sub_icb_location, gp_practice, pcn, federation or other".to_string())
    }
}

/// A commissioner's choice: each service claimed separately, or all in one claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimSubmission {
    SingleService,
    MultiService,
}

impl ClaimSubmission {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "single_service" => Ok(Self::SingleService),
            "multi_service" => Ok(Self::MultiService),
            _ => Err("Choose single_service or multi_service".to_string()),
        }
    }
}

pub const ORGANISATION_NAME_MAX: usize = 120;

/// The form for a new organisation.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationForm {
    pub code: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub organisation_type: Option<String>,
    pub commissioner: Option<String>,
    pub claim_submission: Option<String>,
}

/// A valid new organisation with its type and (for commissioners) claim setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrganisation {
    pub organisation: Organisation,
    pub organisation_type: OrganisationType,
    pub claim_submission: Option<ClaimSubmission>,
}

impl OrganisationForm {
    pub fn validate(&self) -> Result<NewOrganisation, FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = errors.check("code", required_ods_code(self.code.as_deref(), "Enter the organisation's ODS code"));
        let name =
            errors.check("name", required_text(self.name.as_deref(), "the organisation's name", ORGANISATION_NAME_MAX));
        let organisation_type = errors.check(
            "type",
            match self.organisation_type.as_deref() {
                None => Err("Choose what kind of organisation this is".to_string()),
                Some(raw) => OrganisationType::parse(raw).and_then(|t| {
                    if t == OrganisationType::National {
                        Err("The national Service Desk cannot be created here".to_string())
                    } else {
                        Ok(t)
                    }
                }),
            },
        );
        let kind = organisation_type.map(OrganisationType::kind);
        let commissioner = match (kind, self.commissioner.as_deref()) {
            (Some(OrganisationKind::Provider), None) => {
                errors.add("commissioner", "Enter the ODS code of the commissioner for this provider");
                None
            }
            (Some(OrganisationKind::Provider), Some(raw)) => errors.check("commissioner", OdsCode::parse(raw)),
            (Some(_), Some(_)) => {
                errors.add("commissioner", "Only providers have a commissioner");
                None
            }
            _ => None,
        };
        let claim_submission = match (kind, self.claim_submission.as_deref()) {
            (Some(OrganisationKind::Commissioner), None) => Some(ClaimSubmission::SingleService),
            (Some(OrganisationKind::Commissioner), Some(raw)) => {
                errors.check("claimSubmission", ClaimSubmission::parse(raw))
            }
            (Some(_), Some(_)) => {
                errors.add("claimSubmission", "Only commissioners choose how claims are submitted");
                None
            }
            _ => None,
        };
        match (code, name, organisation_type) {
            (Some(code), Some(name), Some(organisation_type)) if errors.is_empty() => Ok(NewOrganisation {
                organisation: Organisation { code, name, kind: organisation_type.kind(), commissioner },
                organisation_type,
                claim_submission,
            }),
            _ => Err(errors),
        }
    }
}

/// The form for changing an organisation: its name, and a commissioner's claim setting.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationChangeForm {
    pub name: Option<String>,
    pub claim_submission: Option<String>,
    /// A provider that claims any time, without claim windows.
    pub claims_any_time: Option<bool>,
    /// A provider whose users' claims wait for one of its approvers.
    pub claims_need_approval: Option<bool>,
    /// A commissioner's Finance threshold, in pounds ("15000.00").
    pub finance_threshold: Option<String>,
}

/// A validated change; `None` leaves a setting as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationChange {
    pub name: Option<String>,
    pub claim_submission: Option<ClaimSubmission>,
    pub claims_any_time: Option<bool>,
    pub claims_need_approval: Option<bool>,
    pub finance_threshold: Option<Money>,
}

impl OrganisationChangeForm {
    pub fn validate(&self, kind: OrganisationKind) -> Result<OrganisationChange, FieldErrors> {
        let mut errors = FieldErrors::new();
        let nothing = self.name.is_none()
            && self.claim_submission.is_none()
            && self.claims_any_time.is_none()
            && self.claims_need_approval.is_none()
            && self.finance_threshold.is_none();
        if nothing {
            return Err(FieldErrors::single("name", "Enter the details you want to change"));
        }
        let name = self.name.as_deref().and_then(|raw| {
            errors.check("name", required_text(Some(raw), "the organisation's name", ORGANISATION_NAME_MAX))
        });
        let claim_submission = match self.claim_submission.as_deref() {
            None => None,
            Some(_) if kind != OrganisationKind::Commissioner => {
                errors.add("claimSubmission", "Only commissioners choose how claims are submitted");
                None
            }
            Some(raw) => errors.check("claimSubmission", ClaimSubmission::parse(raw)),
        };
        if self.claims_any_time.is_some() && kind != OrganisationKind::Provider {
            errors.add("claimsAnyTime", "Only providers can be set to claim without claim windows");
        }
        if self.claims_need_approval.is_some() && kind != OrganisationKind::Provider {
            errors.add("claimsNeedApproval", "Only practices can ask for their users' claims to be approved first");
        }
        let finance_threshold = match self.finance_threshold.as_deref() {
            None => None,
            Some(_) if kind != OrganisationKind::Commissioner => {
                errors.add("financeThreshold", "Only commissioners set a Finance threshold");
                None
            }
            Some(raw) => errors.check("financeThreshold", finance_threshold(raw)),
        };
        errors.into_result().map(|_| OrganisationChange {
            name,
            claim_submission,
            claims_any_time: self.claims_any_time,
            claims_need_approval: self.claims_need_approval,
            finance_threshold,
        })
    }
}

/// The largest Finance threshold: £10,000,000.00.
pub const THRESHOLD_MAX_POUNDS: i64 = 10_000_000;

/// A Finance threshold: pounds and pence, from £0.01 to £10,000,000.00.
fn finance_threshold(raw: &str) -> Result<Money, String> {
    let amount = Money::parse(raw).map_err(|_| "Enter the threshold in pounds, like 15000.00".to_string())?;
    if amount == Money::ZERO || amount > Money::from_pence(THRESHOLD_MAX_POUNDS * 100) {
        return Err("Enter a threshold from £0.01 to £10,000,000.00".into());
    }
    Ok(amount)
}

/// The new organisation form: a commissioner has no commissioner of its own
/// and chooses how its practices submit; a provider names its commissioner.
impl crate::edge::openapi::FormSchema for OrganisationForm {
    fn body_schema(operation: &mut crate::edge::openapi::Operation) -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
        use crate::edge::openapi::fields::NOT_BLANK;
        let ods = serde_json::json!({"$ref": "#/components/schemas/OdsCode"});
        let schema = serde_json::json!({
            "type": "object",
            "required": ["code", "name", "type"],
            "properties": {
                "code": ods,
                "name": {"type": "string", "minLength": 1, "maxLength": ORGANISATION_NAME_MAX, "pattern": NOT_BLANK},
                "type": {"type": "string", "enum": ["icb", "sub_icb_location", "gp_practice", "pcn", "federation", "other"]},
                "commissioner": ods,
                "claimSubmission": {"type": "string", "enum": ["single_service", "multi_service"]},
            },
            "oneOf": [
                {
                    "description": "A commissioner (an ICB or sub-ICB location)",
                    "properties": {"type": {"enum": ["icb", "sub_icb_location"]}},
                    "not": {"anyOf": [{"required": ["commissioner"]}]},
                },
                {
                    "description": "A provider, under its commissioner",
                    "required": ["commissioner"],
                    "properties": {"type": {"enum": ["gp_practice", "pcn", "federation", "other"]}},
                    "not": {"anyOf": [{"required": ["claimSubmission"]}]},
                },
            ],
            "examples": [{"code": "B82005", "name": "Station Road Surgery", "type": "gp_practice", "commissioner": "QHM"}],
        });
        operation.schema_written("NewOrganisationForm", schema)
    }
}

/// The changes to an organisation: at least one; the claim settings are a
/// commissioner's, the claiming settings a provider's.
impl crate::edge::openapi::FormSchema for OrganisationChangeForm {
    fn body_schema(operation: &mut crate::edge::openapi::Operation) -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
        use crate::edge::openapi::fields::NOT_BLANK;
        let fields = ["name", "claimSubmission", "claimsAnyTime", "claimsNeedApproval", "financeThreshold"];
        let schema = serde_json::json!({
            "type": "object",
            "description": "At least one change; claimSubmission and financeThreshold are a commissioner's, \
                            claimsAnyTime and claimsNeedApproval a provider's.",
            "properties": {
                "name": {"type": "string", "minLength": 1, "maxLength": ORGANISATION_NAME_MAX, "pattern": NOT_BLANK},
                "claimSubmission": {"type": "string", "enum": ["single_service", "multi_service"]},
                "claimsAnyTime": {"type": "boolean"},
                "claimsNeedApproval": {"type": "boolean"},
                "financeThreshold": {"$ref": "#/components/schemas/FinanceThreshold"},
            },
            "anyOf": fields.map(|field| serde_json::json!({"required": [field]})),
        });
        operation.schema_written("OrganisationChanges", schema)
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
    fn a_new_practice_needs_its_commissioner_and_no_claim_setting() {
        let form = OrganisationForm {
            code: Some("a81005".into()),
            name: Some("Hill Surgery".into()),
            organisation_type: Some("gp_practice".into()),
            commissioner: Some("QHM".into()),
            claim_submission: None,
        };
        let new = form.validate().unwrap();
        assert_eq!(new.organisation.code.as_str(), "A81005");
        assert_eq!(new.organisation.kind, OrganisationKind::Provider);
        assert_eq!(new.claim_submission, None);
        let orphan = OrganisationForm { commissioner: None, claim_submission: Some("multi_service".into()), ..form };
        let errors = orphan.validate().unwrap_err();
        let pointers: Vec<_> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/commissioner", "/claimSubmission"]);
    }

    #[test]
    fn a_new_icb_defaults_to_single_service_claims() {
        let form = OrganisationForm {
            code: Some("QWE".into()),
            name: Some("NHS Example ICB".into()),
            organisation_type: Some("icb".into()),
            ..OrganisationForm::default()
        };
        assert_eq!(form.validate().unwrap().claim_submission, Some(ClaimSubmission::SingleService));
        let national = OrganisationForm { organisation_type: Some("national".into()), ..form };
        assert!(national.validate().is_err());
        assert_eq!(OrganisationForm::default().validate().unwrap_err().iter().count(), 3);
    }

    #[test]
    fn changes_are_checked_against_the_kind() {
        let change = OrganisationChangeForm {
            claim_submission: Some("multi_service".into()),
            ..OrganisationChangeForm::default()
        };
        assert_eq!(
            change.validate(OrganisationKind::Commissioner).unwrap(),
            OrganisationChange {
                name: None,
                claim_submission: Some(ClaimSubmission::MultiService),
                claims_any_time: None,
                claims_need_approval: None,
                finance_threshold: None,
            }
        );
        assert!(change.validate(OrganisationKind::Provider).is_err());
        let any_time = OrganisationChangeForm { claims_any_time: Some(true), ..OrganisationChangeForm::default() };
        assert_eq!(any_time.validate(OrganisationKind::Provider).unwrap().claims_any_time, Some(true));
        assert!(any_time.validate(OrganisationKind::Commissioner).is_err());
        assert!(OrganisationChangeForm::default().validate(OrganisationKind::Provider).is_err());
        let approval = OrganisationChangeForm { claims_need_approval: Some(true), ..OrganisationChangeForm::default() };
        assert_eq!(approval.validate(OrganisationKind::Provider).unwrap().claims_need_approval, Some(true));
        assert!(approval.validate(OrganisationKind::Commissioner).is_err());
        let threshold = |raw: &str| OrganisationChangeForm {
            finance_threshold: Some(raw.into()),
            ..OrganisationChangeForm::default()
        };
        assert_eq!(
            threshold("20000").validate(OrganisationKind::Commissioner).unwrap().finance_threshold,
            Some(Money::from_pence(2_000_000))
        );
        assert!(threshold("0").validate(OrganisationKind::Commissioner).is_err());
        assert!(threshold("£15,000").validate(OrganisationKind::Commissioner).is_err());
        assert!(threshold("99999999999").validate(OrganisationKind::Commissioner).is_err());
        assert!(threshold("15000").validate(OrganisationKind::Provider).is_err());
    }

    #[test]
    fn a_role_of_the_wrong_kind_is_refused() {
        let message = practice().review_queue_for(Role::ApproverTier1).unwrap_err();
        assert!(message.contains("cannot be held at Riverside Surgery"));
        assert!(practice().review_queue_for(Role::ServiceDesk).is_err());
    }
}
