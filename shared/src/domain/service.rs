//! Services a commissioner pays for in one financial year, claimed monthly or
//! quarterly, and optionally shared with other commissioners.

use super::financial_year::{FinancialYear, PeriodKind};
use super::ods::OdsCode;
use super::validation::{required_text, FieldErrors};
use serde::Deserialize;

pub const SERVICE_NAME_MAX: usize = 120;
pub const DESCRIPTION_MAX: usize = 2000;
/// A service is shared with a handful of commissioners at most.
pub const SHARED_WITH_MAX: usize = 20;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceForm {
    /// The commissioner's ODS code; may be left out by someone who administers only one.
    pub commissioner: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub financial_year: Option<String>,
    pub claim_periods: Option<String>,
    pub shared_with: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewService {
    pub name: String,
    pub description: String,
    pub year: FinancialYear,
    pub claim_periods: PeriodKind,
    pub shared_with: Vec<OdsCode>,
}

pub fn parse_period_kind(raw: Option<&str>) -> Result<PeriodKind, String> {
    match raw.map(str::trim) {
        None | Some("") | Some("quarterly") => Ok(PeriodKind::Quarterly),
        Some("monthly") => Ok(PeriodKind::Monthly),
        Some(_) => Err("Choose how often the service is claimed: monthly or quarterly".to_string()),
    }
}

fn optional_description(raw: Option<&str>, errors: &mut FieldErrors) -> String {
    let text = raw.map(str::trim).unwrap_or_default().to_string();
    if text.chars().count() > DESCRIPTION_MAX {
        errors.add("description", format!("The description must be {DESCRIPTION_MAX} characters or fewer"));
    }
    if let Err(message) = super::nhs_number::refuse_pid(&text) {
        errors.add("description", message);
    }
    text
}

/// Other commissioners a service is shared with: valid codes, none twice, not the owner.
fn shared_commissioners(raw: &[String], owner: &OdsCode, errors: &mut FieldErrors) -> Vec<OdsCode> {
    if raw.len() > SHARED_WITH_MAX {
        errors.add("sharedWith", format!("Share a service with {SHARED_WITH_MAX} commissioners or fewer"));
    }
    let mut codes: Vec<OdsCode> = Vec::new();
    for (i, code) in raw.iter().enumerate() {
        match OdsCode::parse(code) {
            Ok(code) if &code == owner => {
                errors.add(&format!("sharedWith/{i}"), "A service is not shared with its own commissioner")
            }
            Ok(code) if codes.contains(&code) => errors.add(&format!("sharedWith/{i}"), "This code is listed twice"),
            Ok(code) => codes.push(code),
            Err(message) => errors.add(&format!("sharedWith/{i}"), message),
        }
    }
    codes
}

impl ServiceForm {
    pub fn validate(&self, owner: &OdsCode) -> Result<NewService, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check("name", required_text(self.name.as_deref(), "the service's name", SERVICE_NAME_MAX));
        let description = optional_description(self.description.as_deref(), &mut errors);
        let year = errors.check(
            "financialYear",
            match self.financial_year.as_deref() {
                None => Err("Enter the financial year, like 2026/27".to_string()),
                Some(raw) => FinancialYear::parse(raw),
            },
        );
        let claim_periods = errors.check("claimPeriods", parse_period_kind(self.claim_periods.as_deref()));
        let shared_with = shared_commissioners(self.shared_with.as_deref().unwrap_or_default(), owner, &mut errors);
        match (name, year, claim_periods) {
            (Some(name), Some(year), Some(claim_periods)) if errors.is_empty() => {
                Ok(NewService { name, description, year, claim_periods, shared_with })
            }
            _ => Err(errors),
        }
    }
}

/// A change to a service's name, description or sharing.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceChangeForm {
    pub name: Option<String>,
    pub description: Option<String>,
    pub shared_with: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceChange {
    pub name: Option<String>,
    pub description: Option<String>,
    pub shared_with: Option<Vec<OdsCode>>,
}

impl ServiceChangeForm {
    pub fn validate(&self, owner: &OdsCode) -> Result<ServiceChange, FieldErrors> {
        if self.name.is_none() && self.description.is_none() && self.shared_with.is_none() {
            return Err(FieldErrors::single("name", "Enter the details you want to change"));
        }
        let mut errors = FieldErrors::new();
        let name = self
            .name
            .as_deref()
            .and_then(|raw| errors.check("name", required_text(Some(raw), "the service's name", SERVICE_NAME_MAX)));
        let description = self.description.as_deref().map(|raw| optional_description(Some(raw), &mut errors));
        let shared_with = self.shared_with.as_deref().map(|raw| shared_commissioners(raw, owner, &mut errors));
        errors.into_result().map(|_| ServiceChange { name, description, shared_with })
    }
}

/// Who is looking at a service: a member of the owning commissioner or one it
/// is shared with, or a provider it was offered to (who sees its own prices only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    Commissioner(crate::domain::ods::OdsCode),
    Provider(crate::domain::ods::OdsCode),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qhm() -> OdsCode {
        OdsCode::parse("QHM").unwrap()
    }

    #[test]
    fn a_service_needs_a_name_and_a_year_and_defaults_to_quarterly() {
        let form = ServiceForm {
            name: Some(" Complex Care Plans ".into()),
            financial_year: Some("2026/27".into()),
            shared_with: Some(vec!["qoq".into()]),
            ..ServiceForm::default()
        };
        let service = form.validate(&qhm()).unwrap();
        assert_eq!(service.name, "Complex Care Plans");
        assert_eq!(service.claim_periods, PeriodKind::Quarterly);
        assert_eq!(service.shared_with, [OdsCode::parse("QOQ").unwrap()]);
        let errors = ServiceForm::default().validate(&qhm()).unwrap_err();
        let pointers: Vec<_> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/name", "/financialYear"]);
    }

    #[test]
    fn sharing_with_yourself_or_twice_or_a_bad_code_is_refused() {
        let form = ServiceForm {
            name: Some("Ear Irrigation".into()),
            financial_year: Some("2026/27".into()),
            claim_periods: Some("weekly".into()),
            shared_with: Some(vec!["QHM".into(), "QOQ".into(), "qoq".into(), "Q-1".into()]),
            ..ServiceForm::default()
        };
        let errors = form.validate(&qhm()).unwrap_err();
        let pointers: Vec<_> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/claimPeriods", "/sharedWith/0", "/sharedWith/2", "/sharedWith/3"]);
    }

    #[test]
    fn a_change_must_change_something() {
        assert!(ServiceChangeForm::default().validate(&qhm()).is_err());
        let change = ServiceChangeForm { description: Some("".into()), ..ServiceChangeForm::default() };
        assert_eq!(change.validate(&qhm()).unwrap().description.as_deref(), Some(""));
    }
}
