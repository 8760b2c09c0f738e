//! An existing user asking for a role in another organisation (from My Profile).

use super::ods::{required_ods_code, OdsCode};
use super::role::{required_role, Role};
use super::validation::FieldErrors;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessRequestStatus {
    Pending,
    Approved,
    Rejected,
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccessRequestForm {
    #[schema(value_type = crate::domain::ods::OdsCode, required = true)]
    pub organisation_code: Option<String>,
    #[schema(value_type = crate::edge::openapi::fields::RequestableRole, required = true)]
    pub role: Option<String>,
}

impl AccessRequestForm {
    pub fn validate(&self) -> Result<(OdsCode, Role), FieldErrors> {
        let mut errors = FieldErrors::new();
        let code = errors.check(
            "organisationCode",
            required_ods_code(
                self.organisation_code.as_deref(),
                "Enter the ODS code of the organisation you need access to",
            ),
        );
        let role = errors.check("role", required_role(self.role.as_deref(), true));
        match (code, role) {
            (Some(code), Some(role)) if errors.is_empty() => Ok((code, role)),
            _ => Err(errors),
        }
    }
}

/// A revoke (or other destructive step) must be confirmed, as the seed's Confirm button does.
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(as = Confirm)]
pub struct ConfirmForm {
    #[serde(default)]
    #[schema(schema_with = crate::edge::openapi::fields::confirmed, required = true)]
    pub confirm: bool,
}

impl ConfirmForm {
    pub fn require(&self, what: &str) -> Result<(), FieldErrors> {
        if self.confirm {
            Ok(())
        } else {
            Err(FieldErrors::single("confirm", format!("Confirm that you want to {what}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_access_request_needs_an_organisation_and_a_requestable_role() {
        let form = AccessRequestForm { organisation_code: Some("a81002".into()), role: Some("provider_user".into()) };
        assert_eq!(form.validate().unwrap(), (OdsCode::parse("A81002").unwrap(), Role::ProviderUser));
        let errors = AccessRequestForm::default().validate().unwrap_err();
        assert_eq!(errors.iter().count(), 2);
        let desk = AccessRequestForm { organisation_code: Some("X26".into()), role: Some("service_desk".into()) };
        assert!(desk.validate().is_err());
    }

    #[test]
    fn confirmation_is_required() {
        assert!(ConfirmForm { confirm: false }.require("revoke this access").is_err());
        assert!(ConfirmForm { confirm: true }.require("revoke this access").is_ok());
    }
}
