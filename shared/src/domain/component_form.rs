//! The form a commissioner fills in to define a component, checked field by
//! field so every problem is reported at once, in words a commissioner reads.

use super::component::{EvidenceRequirement, Payment, Question, LABEL_MAX};
use super::money::Money;
use super::ods::OdsCode;
use super::validation::{required_text, FieldErrors};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub const COMPONENT_NAME_MAX: usize = 120;
pub const QUESTIONS_MAX: usize = 20;
pub const TARIFFS_MAX: usize = 500;

/// A price agreed with one provider instead of the component's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Tariff {
    pub provider: OdsCode,
    pub price: Money,
}

/// One version of a component: everything a claim against it relies on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentDefinition {
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub payment: Payment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceRequirement>,
    #[serde(default)]
    pub questions: Vec<Question>,
    #[serde(default)]
    pub tariffs: Vec<Tariff>,
}

impl ComponentDefinition {
    /// The payment for one provider: its own tariff if it has one.
    pub fn payment_for(&self, provider: &OdsCode) -> Payment {
        let Some(tariff) = self.tariffs.iter().find(|t| &t.provider == provider) else {
            return self.payment.clone();
        };
        match &self.payment {
            Payment::PerUnit { unit_label, max_units, .. } => {
                Payment::PerUnit { unit_price: tariff.price, unit_label: unit_label.clone(), max_units: *max_units }
            }
            Payment::Retainer { information, .. } => {
                Payment::Retainer { amount: tariff.price, information: information.clone() }
            }
            Payment::ParticipationOnly => Payment::ParticipationOnly,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentForm {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub unit_price: Option<Value>,
    pub unit_label: Option<String>,
    pub max_units: Option<Value>,
    pub amount: Option<Value>,
    pub information: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TariffForm {
    pub provider: Option<String>,
    pub price: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentForm {
    pub name: Option<String>,
    pub description: Option<String>,
    pub payment: Option<PaymentForm>,
    pub evidence: Option<EvidenceRequirement>,
    pub questions: Option<Vec<Question>>,
    pub tariffs: Option<Vec<TariffForm>>,
    /// The first day this definition applies (a new version of an existing component must give one).
    pub effective_from: Option<String>,
}

/// A component definition and the day it takes effect, if given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidComponent {
    pub definition: ComponentDefinition,
    pub effective_from: Option<Date>,
}

/// An amount typed as text ("193.42") or a JSON number (193.42).
pub fn money_value(value: &Value) -> Result<Money, String> {
    match value {
        Value::String(text) => Money::parse(text),
        // Money is never a float: a number (1.005, 1e2) is not read as one.
        _ => Err("Enter the amount as text in pounds, like \"193.42\"".to_string()),
    }
}

/// The most a unit price or a retainer may be: well above any local service's
/// tariff, and low enough that a mistyped figure is caught before it is paid.
pub const PRICE_MAX_POUNDS: i64 = 1_000_000;
pub const PRICE_MAX: Money = Money::from_pence(PRICE_MAX_POUNDS * 100);

fn positive_money(value: Option<&Value>, missing: &str) -> Result<Money, String> {
    let money = money_value(value.ok_or_else(|| missing.to_string())?)?;
    if money == Money::ZERO {
        return Err("The amount must be more than £0.00 (choose participation only for no payment)".to_string());
    }
    if money > PRICE_MAX {
        return Err(format!("The amount cannot be more than {PRICE_MAX}: check the figure"));
    }
    Ok(money)
}

fn max_units(value: Option<&Value>) -> Result<Option<u32>, String> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(units @ 1..=1_000_000) => Ok(Some(units as u32)),
            _ => Err("The most units must be a whole number from 1 to 1,000,000, or left empty".to_string()),
        },
        Some(_) => Err("The most units must be a whole number, or left empty".to_string()),
    }
}

impl PaymentForm {
    fn validate(&self, errors: &mut FieldErrors) -> Option<Payment> {
        let mut refuse_present = |present: bool, field: &str, message: &str| {
            if present {
                errors.add(&format!("payment/{field}"), message);
            }
        };
        let payment = match self.kind.as_deref().map(str::trim) {
            Some("per_unit") => {
                refuse_present(self.amount.is_some(), "amount", "A per-unit payment has a unit price, not an amount");
                refuse_present(self.information.is_some(), "information", "Only a retainer shows information text");
                let unit_price =
                    errors.check("payment/unitPrice", positive_money(self.unit_price.as_ref(), "Enter the unit price"));
                let unit_label = errors.check(
                    "payment/unitLabel",
                    required_text(self.unit_label.as_deref(), "what a unit is (like Care plan)", LABEL_MAX),
                );
                let max_units = errors.check("payment/maxUnits", max_units(self.max_units.as_ref()));
                match (unit_price, unit_label, max_units) {
                    (Some(unit_price), Some(unit_label), Some(max_units)) => {
                        Some(Payment::PerUnit { unit_price, unit_label, max_units })
                    }
                    _ => None,
                }
            }
            Some("retainer") => {
                let no_units = "A retainer pays a fixed amount each period and takes no units: remove this";
                refuse_present(self.unit_price.is_some(), "unitPrice", no_units);
                refuse_present(self.unit_label.is_some(), "unitLabel", no_units);
                refuse_present(self.max_units.is_some(), "maxUnits", no_units);
                let amount = errors
                    .check("payment/amount", positive_money(self.amount.as_ref(), "Enter the amount paid each period"));
                let text = errors.check(
                    "payment/information",
                    required_text(
                        self.information.as_deref(),
                        "the information the practice must read",
                        super::component::TEXT_MAX,
                    ),
                );
                match (amount, text) {
                    (Some(amount), Some(information)) => Some(Payment::Retainer { amount, information }),
                    _ => None,
                }
            }
            Some("participation_only") => {
                let nothing = "Participation only pays nothing: remove this";
                refuse_present(self.unit_price.is_some(), "unitPrice", nothing);
                refuse_present(self.unit_label.is_some(), "unitLabel", nothing);
                refuse_present(self.max_units.is_some(), "maxUnits", nothing);
                refuse_present(self.amount.is_some(), "amount", nothing);
                Some(Payment::ParticipationOnly)
            }
            _ => {
                errors
                    .add("payment/type", "Choose how the component is paid: per_unit, retainer or participation_only");
                None
            }
        };
        if let Some(payment) = &payment {
            payment.validate(errors);
        }
        payment
    }
}

fn tariffs(forms: &[TariffForm], payment: Option<&Payment>, errors: &mut FieldErrors) -> Vec<Tariff> {
    if forms.is_empty() {
        return Vec::new();
    }
    if matches!(payment, Some(Payment::ParticipationOnly)) {
        errors.add("tariffs", "Participation only pays nothing, so it has no provider prices");
        return Vec::new();
    }
    if forms.len() > TARIFFS_MAX {
        errors.add("tariffs", format!("Give {TARIFFS_MAX} provider prices or fewer"));
    }
    let mut found: Vec<Tariff> = Vec::new();
    for (i, form) in forms.iter().enumerate() {
        let provider = errors.check(
            &format!("tariffs/{i}/provider"),
            super::ods::required_ods_code(form.provider.as_deref(), "Enter the provider's ODS code"),
        );
        let price =
            errors.check(&format!("tariffs/{i}/price"), positive_money(form.price.as_ref(), "Enter the agreed price"));
        if let (Some(provider), Some(price)) = (provider, price) {
            if found.iter().any(|t| t.provider == provider) {
                errors.add(&format!("tariffs/{i}/provider"), "This provider already has a price above");
            } else {
                found.push(Tariff { provider, price });
            }
        }
    }
    found
}

fn questions(list: &[Question], errors: &mut FieldErrors) -> Vec<Question> {
    if list.len() > QUESTIONS_MAX {
        errors.add("questions", format!("Ask {QUESTIONS_MAX} questions or fewer"));
    }
    let mut checked: Vec<Question> = Vec::new();
    for (i, question) in list.iter().enumerate() {
        let mut question = question.clone();
        if question.id.trim().is_empty() {
            question.id = format!("q{}", i + 1);
        }
        question.text = question.text.trim().to_string();
        question.validate(i, errors);
        if checked.iter().any(|q| q.id == question.id) {
            errors.add(&format!("questions/{i}/id"), "Two questions have the same reference");
        }
        checked.push(question);
    }
    checked
}

impl ComponentForm {
    pub fn validate(&self) -> Result<ValidComponent, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name =
            errors.check("name", required_text(self.name.as_deref(), "the component's name", COMPONENT_NAME_MAX));
        let description = self.description.as_deref().map(str::trim).unwrap_or_default().to_string();
        if description.chars().count() > super::component::TEXT_MAX {
            errors.add("description", "The description must be 2000 characters or fewer");
        } else if let Err(message) = super::nhs_number::refuse_pid(&description) {
            errors.add("description", message);
        }
        let payment = match &self.payment {
            Some(form) => form.validate(&mut errors),
            None => {
                errors.add("payment", "Choose how the component is paid");
                None
            }
        };
        if let Some(evidence) = &self.evidence {
            evidence.validate(&mut errors);
        }
        let questions = questions(self.questions.as_deref().unwrap_or_default(), &mut errors);
        let tariffs = tariffs(self.tariffs.as_deref().unwrap_or_default(), payment.as_ref(), &mut errors);
        let effective_from = self.effective_from.as_deref().and_then(|raw| {
            errors.check(
                "effectiveFrom",
                raw.trim()
                    .parse::<Date>()
                    .map_err(|_| "Enter the date the change applies from, like 2027-01-01".into()),
            )
        });
        match (name, payment) {
            (Some(name), Some(payment)) if errors.is_empty() => Ok(ValidComponent {
                definition: ComponentDefinition {
                    name,
                    description,
                    payment,
                    evidence: self.evidence.clone().map(|mut e| {
                        e.guidance = e.guidance.trim().to_string();
                        e
                    }),
                    questions,
                    tariffs,
                },
                effective_from,
            }),
            _ => Err(errors),
        }
    }
}

/// A component's definition as a commissioner sends it: how it is paid is one
/// of three shapes, each with its own fields.
impl crate::edge::openapi::FormSchema for ComponentForm {
    fn body_schema(operation: &mut crate::edge::openapi::Operation) -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
        use super::component::{DEFAULT_EVIDENCE_BYTES, MAX_EVIDENCE_BYTES, TEXT_MAX};
        use crate::edge::openapi::fields::{NOT_BLANK, PLAIN};
        use serde_json::json;
        let price = json!({"$ref": "#/components/schemas/Price"});
        let plain = |max: usize| json!({"type": "string", "maxLength": max, "pattern": PLAIN});
        let named = |max: usize| json!({"type": "string", "minLength": 1, "maxLength": max, "pattern": NOT_BLANK});
        let code = |example: &str| json!({"type": "string", "examples": [example], "pattern": PLAIN});
        let schema = json!({
            "type": "object",
            "required": ["name", "payment"],
            "properties": {
                "name": named(COMPONENT_NAME_MAX),
                "description": plain(TEXT_MAX),
                "payment": {"oneOf": [
                    {
                        "type": "object",
                        "required": ["type", "unitPrice", "unitLabel"],
                        "properties": {
                            "type": {"const": "per_unit"},
                            "unitPrice": price,
                            "unitLabel": named(LABEL_MAX),
                            "maxUnits": {"type": "integer", "minimum": 1, "maximum": 1_000_000},
                        },
                    },
                    {
                        "type": "object",
                        "required": ["type", "amount"],
                        "properties": {"type": {"const": "retainer"}, "amount": price, "information": plain(TEXT_MAX)},
                    },
                    {"type": "object", "required": ["type"], "properties": {"type": {"const": "participation_only"}}},
                ]},
                "evidence": {
                    "type": "object",
                    "properties": {
                        "requiredFromUnits": {"type": "integer", "minimum": 1, "default": 1},
                        "guidance": plain(TEXT_MAX),
                        "accepted": {"type": "array", "items": {
                            "type": "object",
                            "required": ["extension", "contentType"],
                            "properties": {"extension": code("pdf"), "contentType": code("application/pdf")},
                        }},
                        "maxBytes": {
                            "type": "integer", "minimum": 1, "maximum": MAX_EVIDENCE_BYTES, "default": DEFAULT_EVIDENCE_BYTES,
                        },
                    },
                },
                "questions": {"type": "array", "maxItems": QUESTIONS_MAX, "items": {
                    "type": "object",
                    "required": ["text", "answer"],
                    "properties": {
                        "id": {"type": "string", "pattern": PLAIN},
                        "text": named(TEXT_MAX),
                        "required": {"type": "boolean"},
                        "answer": {
                            "type": "object",
                            "required": ["type"],
                            "properties": {
                                "type": {"type": "string", "enum": ["yes_no", "short_text", "number", "date", "single_choice"]},
                                "mustBeYes": {"type": "boolean"},
                                "maxLength": {"type": "integer", "minimum": 1},
                                "min": {"type": "number"},
                                "max": {"type": "number"},
                                "options": {"type": "array", "items": {"type": "string", "pattern": PLAIN}},
                            },
                        },
                    },
                }},
                "tariffs": {"type": "array", "maxItems": TARIFFS_MAX, "items": {
                    "type": "object",
                    "required": ["provider", "price"],
                    "properties": {"provider": {"$ref": "#/components/schemas/OdsCode"}, "price": price},
                }},
                "effectiveFrom": {
                    "type": "string",
                    "format": "date",
                    "description": "The first day this version applies (required when changing a component)",
                },
            },
            "examples": [{
                "name": "INR check",
                "payment": {"type": "per_unit", "unitPrice": "12.50", "unitLabel": "checks", "maxUnits": 500},
                "evidence": {
                    "requiredFromUnits": 1,
                    "guidance": "The INR log for the quarter",
                    "accepted": [{"extension": "pdf", "contentType": "application/pdf"}],
                },
            }],
        });
        operation.schema_written("ComponentForm", schema)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn form(body: Value) -> ComponentForm {
        serde_json::from_value(body).unwrap()
    }

    #[test]
    fn complex_care_plans_at_193_42_a_unit() {
        let valid = form(json!({
            "name": "Complex Care Plans",
            "payment": {"type": "per_unit", "unitPrice": "193.42", "unitLabel": "Care plan"},
            "tariffs": [{"provider": "a81002", "price": "200.00"}]
        }))
        .validate()
        .unwrap();
        assert_eq!(valid.definition.payment.value(12).to_string(), "£2,321.04");
        let a81002 = OdsCode::parse("A81002").unwrap();
        assert_eq!(valid.definition.payment_for(&a81002).value(1).to_string(), "£200.00");
        assert_eq!(valid.definition.payment_for(&OdsCode::parse("A81001").unwrap()).value(1).to_string(), "£193.42");
    }

    #[test]
    fn negative_and_three_decimal_prices_are_refused_with_reasons() {
        let errors = form(json!({
            "name": "Ear Irrigation",
            "payment": {"type": "per_unit", "unitPrice": "-5.00", "unitLabel": "Patient"},
            "tariffs": [{"provider": "A81001", "price": "10.005"}]
        }))
        .validate()
        .unwrap_err();
        assert_eq!(errors.pointers(), ["/payment/unitPrice", "/tariffs/0/price"]);
        assert!(errors.iter().next().unwrap().detail.contains("negative"));
        assert!(errors.iter().nth(1).unwrap().detail.contains("2 decimal places"));
    }

    #[test]
    fn a_price_beyond_any_local_tariff_is_refused() {
        let errors = form(json!({
            "name": "Ear Irrigation",
            "payment": {"type": "per_unit", "unitPrice": "99999999999999999999999.99", "unitLabel": "Patient"},
            "tariffs": [{"provider": "A81001", "price": "1000000.01"}]
        }))
        .validate()
        .unwrap_err();
        assert_eq!(errors.pointers(), ["/payment/unitPrice", "/tariffs/0/price"]);
        assert!(errors.iter().all(|e| e.detail.contains("cannot be more than £1,000,000.00")), "{errors:?}");
    }

    #[test]
    fn a_retainer_with_units_is_refused() {
        let errors = form(json!({
            "name": "Retainer",
            "payment": {"type": "retainer", "amount": "500", "unitPrice": "1.00", "maxUnits": 3}
        }))
        .validate()
        .unwrap_err();
        assert_eq!(errors.pointers(), ["/payment/unitPrice", "/payment/maxUnits", "/payment/information"]);
    }

    #[test]
    fn questions_get_references_and_need_text() {
        let valid = form(json!({
            "name": "Depot Antipsychotic Injections",
            "payment": {"type": "participation_only"},
            "questions": [
                {"text": "Administered by a qualified member of staff?", "answer": {"type": "yes_no", "mustBeYes": true}},
                {"text": "Clinician's name", "answer": {"type": "short_text", "maxLength": 80}, "required": false}
            ]
        }))
        .validate()
        .unwrap();
        let ids: Vec<_> = valid.definition.questions.iter().map(|q| q.id.as_str()).collect();
        assert_eq!(ids, ["q1", "q2"]);
        assert!(valid.definition.questions[0].required);
        let errors = form(json!({
            "name": "X",
            "payment": {"type": "participation_only"},
            "questions": [{"answer": {"type": "date"}}],
            "tariffs": [{"provider": "A81001", "price": "1"}],
            "evidence": {"guidance": "Upload the letter", "accepted": []}
        }))
        .validate()
        .unwrap_err();
        assert_eq!(errors.pointers(), ["/evidence/accepted", "/questions/0/text", "/tariffs"]);
    }

    #[test]
    fn a_payment_type_is_required() {
        let errors = form(json!({"name": "X", "payment": {"type": "hourly"}})).validate().unwrap_err();
        assert_eq!(errors.pointers(), ["/payment/type"]);
        let errors = form(json!({})).validate().unwrap_err();
        assert_eq!(errors.pointers(), ["/name", "/payment"]);
    }
}
