//! Services a commissioner pays for in one financial year, claimed monthly or
//! quarterly, and optionally shared with other commissioners.

use super::financial_year::{FinancialYear, PeriodKind};
use super::money::Money;
use super::ods::OdsCode;
use super::offer::OfferCounts;
use super::validation::{required_text, FieldErrors};
use serde::{Deserialize, Serialize};

pub const SERVICE_NAME_MAX: usize = 120;
pub const DESCRIPTION_MAX: usize = 2000;
/// A service is shared with a handful of commissioners at most.
pub const SHARED_WITH_MAX: usize = 20;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = NewServiceForm)]
pub struct ServiceForm {
    /// The commissioner's ODS code; may be left out by someone who administers only one.
    #[schema(value_type = crate::domain::ods::OdsCode, required = false)]
    pub commissioner: Option<String>,
    #[schema(schema_with = crate::edge::openapi::fields::named::<120>, required = true)]
    pub name: Option<String>,
    #[schema(schema_with = crate::edge::openapi::fields::plain::<2000>)]
    pub description: Option<String>,
    #[schema(value_type = crate::edge::openapi::fields::FinancialYear, required = true)]
    pub financial_year: Option<String>,
    #[schema(schema_with = crate::edge::openapi::fields::claim_periods)]
    pub claim_periods: Option<String>,
    #[schema(schema_with = crate::edge::openapi::fields::shared_with)]
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
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = ServiceChanges)]
pub struct ServiceChangeForm {
    #[schema(schema_with = crate::edge::openapi::fields::named::<120>)]
    pub name: Option<String>,
    #[schema(schema_with = crate::edge::openapi::fields::plain::<2000>)]
    pub description: Option<String>,
    #[schema(schema_with = crate::edge::openapi::fields::shared_with)]
    pub shared_with: Option<Vec<String>>,
    /// The year's budget in pounds ("120000.00"); "" removes it.
    #[schema(value_type = crate::edge::openapi::fields::Budget, required = false)]
    pub budget: Option<String>,
    /// The VAT code the ledger books payments under.
    #[schema(schema_with = crate::edge::openapi::fields::vat_code)]
    pub vat_code: Option<String>,
    #[schema(schema_with = crate::edge::openapi::fields::ledger_code)]
    pub cost_centre: Option<String>,
    #[schema(schema_with = crate::edge::openapi::fields::ledger_code)]
    pub subjective_code: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceChange {
    pub name: Option<String>,
    pub description: Option<String>,
    pub shared_with: Option<Vec<OdsCode>>,
    pub finance: Option<FinanceChange>,
}

/// A change to how a service is paid and booked; `None` leaves a setting as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FinanceChange {
    /// `Some(None)` removes the budget.
    pub budget: Option<Option<Money>>,
    pub vat_code: Option<VatCode>,
    pub cost_centre: Option<String>,
    pub subjective_code: Option<String>,
}

/// How the ledger books a payment for VAT; most primary care services are
/// outside its scope.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub enum VatCode {
    #[default]
    #[serde(rename = "OS")]
    OutsideScope,
    #[serde(rename = "EX")]
    Exempt,
    #[serde(rename = "ZR")]
    ZeroRated,
    #[serde(rename = "SR")]
    StandardRated,
}

impl VatCode {
    /// Every code as a form sends it.
    pub const CODES: &'static [&'static str] = &["OS", "EX", "ZR", "SR"];

    pub fn code(self) -> &'static str {
        match self {
            VatCode::OutsideScope => "OS",
            VatCode::Exempt => "EX",
            VatCode::ZeroRated => "ZR",
            VatCode::StandardRated => "SR",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_uppercase().as_str() {
            "OS" => Ok(VatCode::OutsideScope),
            "EX" => Ok(VatCode::Exempt),
            "ZR" => Ok(VatCode::ZeroRated),
            "SR" => Ok(VatCode::StandardRated),
            _ => {
                Err("Choose a VAT code: OS (outside scope), EX (exempt), ZR (zero rated) or SR (standard rated)".into())
            }
        }
    }
}

/// The largest budget a service may carry: £100,000,000.00.
pub const BUDGET_MAX_POUNDS: i64 = 100_000_000;
const BUDGET_MAX: Money = Money::from_pence(BUDGET_MAX_POUNDS * 100);
/// Ledger codes are short and plain.
const LEDGER_CODE_MAX: usize = 20;

fn ledger_code(raw: &str, what: &str) -> Result<String, String> {
    let code = raw.trim().to_ascii_uppercase();
    if code.is_empty() || code.len() > LEDGER_CODE_MAX || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return Err(format!("Enter the {what}: letters, digits and hyphens, up to {LEDGER_CODE_MAX}"));
    }
    Ok(code)
}

fn budget(raw: &str) -> Result<Option<Money>, String> {
    if raw.is_empty() {
        return Ok(None);
    }
    let amount = Money::parse(raw).map_err(|_| "Enter the budget in pounds, like 120000.00".to_string())?;
    if amount > BUDGET_MAX {
        return Err("Enter a budget of £100,000,000.00 or less".into());
    }
    Ok(Some(amount))
}

impl ServiceChangeForm {
    pub fn validate(&self, owner: &OdsCode) -> Result<ServiceChange, FieldErrors> {
        let finance_asked = self.budget.is_some()
            || self.vat_code.is_some()
            || self.cost_centre.is_some()
            || self.subjective_code.is_some();
        if self.name.is_none() && self.description.is_none() && self.shared_with.is_none() && !finance_asked {
            return Err(FieldErrors::single("name", "Enter the details you want to change"));
        }
        let mut errors = FieldErrors::new();
        let name = self
            .name
            .as_deref()
            .and_then(|raw| errors.check("name", required_text(Some(raw), "the service's name", SERVICE_NAME_MAX)));
        let description = self.description.as_deref().map(|raw| optional_description(Some(raw), &mut errors));
        let shared_with = self.shared_with.as_deref().map(|raw| shared_commissioners(raw, owner, &mut errors));
        let finance = finance_asked.then(|| FinanceChange {
            budget: self.budget.as_deref().and_then(|raw| errors.check("budget", budget(raw))),
            vat_code: self.vat_code.as_deref().and_then(|raw| errors.check("vatCode", VatCode::parse(raw))),
            cost_centre: self
                .cost_centre
                .as_deref()
                .and_then(|raw| errors.check("costCentre", ledger_code(raw, "cost centre"))),
            subjective_code: self
                .subjective_code
                .as_deref()
                .and_then(|raw| errors.check("subjectiveCode", ledger_code(raw, "subjective code"))),
        });
        errors.into_result().map(|_| ServiceChange { name, description, shared_with, finance })
    }
}

/// Who is looking at a service: a member of the owning commissioner or one it
/// is shared with, or a provider it was offered to (who sees its own prices only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    Commissioner(crate::domain::ods::OdsCode),
    Provider(crate::domain::ods::OdsCode),
}

/// How far a service is set up, as its commissioner's list says it: the next
/// thing to do until it can be offered, then whether it has been.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServiceStage {
    AddComponents,
    AddWindows,
    ReadyToOffer,
    Offered,
}

impl ServiceStage {
    /// A service without components cannot be claimed; one without claim
    /// windows only by practices that claim at any time.
    pub fn of(components: u32, windows: u32, offers: OfferCounts) -> Self {
        match (components, windows, offers.offered + offers.accepted + offers.declined) {
            (0, _, 0) => Self::AddComponents,
            (_, 0, 0) => Self::AddWindows,
            (_, _, 0) => Self::ReadyToOffer,
            _ => Self::Offered,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::AddComponents => "Add components",
            Self::AddWindows => "Add claim windows",
            Self::ReadyToOffer => "Ready to offer",
            Self::Offered => "Offered",
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_service_is_set_up_then_offered() {
        let none = OfferCounts::default();
        assert_eq!(ServiceStage::of(0, 0, none), ServiceStage::AddComponents);
        assert_eq!(ServiceStage::of(0, 4, none), ServiceStage::AddComponents);
        assert_eq!(ServiceStage::of(2, 0, none), ServiceStage::AddWindows);
        assert_eq!(ServiceStage::of(2, 4, none), ServiceStage::ReadyToOffer);
        let declined = OfferCounts { declined: 1, ..none };
        assert_eq!(ServiceStage::of(2, 4, declined), ServiceStage::Offered);
        // Offered early (a practice that claims at any time needs no windows): offered all the same.
        assert_eq!(ServiceStage::of(2, 0, OfferCounts { accepted: 3, ..none }), ServiceStage::Offered);
        assert_eq!(ServiceStage::ReadyToOffer.label(), "Ready to offer");
    }
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

    #[test]
    fn finance_settings_are_checked_one_by_one() {
        let form = ServiceChangeForm {
            budget: Some("120000".into()),
            vat_code: Some("os".into()),
            cost_centre: Some(" ab123 ".into()),
            ..ServiceChangeForm::default()
        };
        let finance = form.validate(&qhm()).unwrap().finance.unwrap();
        assert_eq!(finance.budget, Some(Some(Money::from_pence(12_000_000))));
        assert_eq!(finance.vat_code, Some(VatCode::OutsideScope));
        assert_eq!(finance.cost_centre.as_deref(), Some("AB123"));
        let cleared = ServiceChangeForm { budget: Some("".into()), ..ServiceChangeForm::default() };
        assert_eq!(cleared.validate(&qhm()).unwrap().finance.unwrap().budget, Some(None));
        let bad = ServiceChangeForm {
            budget: Some("£1m".into()),
            vat_code: Some("VAT".into()),
            subjective_code: Some("a b".into()),
            ..ServiceChangeForm::default()
        };
        let pointers = bad.validate(&qhm()).unwrap_err().pointers();
        assert_eq!(pointers, ["/budget", "/vatCode", "/subjectiveCode"]);
        let huge = ServiceChangeForm { budget: Some("100000000.01".into()), ..ServiceChangeForm::default() };
        assert!(huge.validate(&qhm()).is_err());
    }
}
