//! Service components: what a practice claims for and how it is paid — per
//! unit, a retainer, or participation only — with the evidence it must attach
//! and the supplementary questions it must answer.

use super::money::Money;
use super::validation::FieldErrors;
use serde::{Deserialize, Serialize};

pub const TEXT_MAX: usize = 2000;
pub const LABEL_MAX: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Payment {
    /// Units × price, e.g. 12 Complex Care Plans at £193.42.
    #[serde(rename_all = "camelCase")]
    PerUnit {
        unit_price: Money,
        unit_label: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_units: Option<u32>,
    },
    /// A fixed amount each period; no input, only information to read.
    #[serde(rename_all = "camelCase")]
    Retainer { amount: Money, information: String },
    /// Taking part is recorded; nothing is paid.
    ParticipationOnly,
}

impl Payment {
    /// What `units` of this component is worth.
    pub fn value(&self, units: u32) -> Money {
        match self {
            Payment::PerUnit { unit_price, .. } => unit_price.times(units),
            Payment::Retainer { amount, .. } => *amount,
            Payment::ParticipationOnly => Money::ZERO,
        }
    }

    /// Whether the practice enters a number of units.
    pub fn takes_units(&self) -> bool {
        matches!(self, Payment::PerUnit { .. })
    }

    pub fn validate(&self, errors: &mut FieldErrors) {
        match self {
            Payment::PerUnit { unit_label, max_units, .. } => {
                if unit_label.trim().is_empty() || unit_label.chars().count() > LABEL_MAX {
                    errors
                        .add("payment/unitLabel", format!("Enter what a unit is, in {LABEL_MAX} characters or fewer"));
                }
                if *max_units == Some(0) {
                    errors.add("payment/maxUnits", "The most units must be at least 1, or left empty");
                }
            }
            Payment::Retainer { information, .. } => {
                if information.trim().is_empty() || information.chars().count() > TEXT_MAX {
                    errors.add(
                        "payment/information",
                        format!("Enter the information the practice must read, in {TEXT_MAX} characters or fewer"),
                    );
                }
            }
            Payment::ParticipationOnly => {}
        }
    }
}

/// A file type a component accepts, by extension and content type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FileType {
    pub extension: String,
    pub content_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceRequirement {
    /// Evidence is needed when the units claimed reach this (default 1): 0 units needs none.
    #[serde(default = "one")]
    pub required_from_units: u32,
    #[serde(default)]
    pub guidance: String,
    #[serde(default)]
    pub accepted: Vec<FileType>,
    #[serde(default = "largest_file")]
    pub max_bytes: u64,
}

fn one() -> u32 {
    1
}

fn largest_file() -> u64 {
    DEFAULT_EVIDENCE_BYTES
}

/// A requirement's largest file unless the commissioner says otherwise.
pub const DEFAULT_EVIDENCE_BYTES: u64 = 10 * 1024 * 1024;
/// The largest any requirement may allow: a long scanned document. The scan
/// function's memory and clamd's `StreamMaxLength` are sized for it.
pub const MAX_EVIDENCE_BYTES: u64 = 25 * 1024 * 1024;

/// A file size as people say it: "25 MB", "500 KB", "1.5 MB".
pub fn describe_size(bytes: u64) -> String {
    const KB: u64 = 1024;
    const MB: u64 = 1024 * KB;
    let (amount, unit) = if bytes >= MB { (bytes as f64 / MB as f64, "MB") } else { (bytes as f64 / KB as f64, "KB") };
    if bytes < KB {
        return format!("{bytes} bytes");
    }
    let rounded = (amount * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0} {unit}")
    } else {
        format!("{rounded:.1} {unit}")
    }
}

impl EvidenceRequirement {
    /// What a line without an evidence rule accepts: no file at all.
    pub fn accepting_nothing() -> Self {
        EvidenceRequirement {
            required_from_units: 1,
            guidance: String::new(),
            accepted: Vec::new(),
            max_bytes: DEFAULT_EVIDENCE_BYTES,
        }
    }

    pub fn required_for(&self, units: u32) -> bool {
        units >= self.required_from_units.max(1)
    }

    pub fn validate(&self, errors: &mut FieldErrors) {
        // The guides: a claim of 0 units never needs a document.
        if self.required_from_units == 0 {
            errors.add("evidence/requiredFromUnits", "Enter a whole number, 1 or more: 0 units never needs evidence");
        }
        if self.guidance.trim().is_empty() || self.guidance.chars().count() > TEXT_MAX {
            errors.add("evidence/guidance", "Enter what evidence the practice must provide (without patient data)");
        }
        if let Err(message) = super::nhs_number::refuse_pid(&self.guidance) {
            errors.add("evidence/guidance", message);
        }
        if self.accepted.is_empty() {
            errors.add("evidence/accepted", "Choose at least one file type the practice may upload");
        }
        for (i, file) in self.accepted.iter().enumerate() {
            let extension_ok = !file.extension.is_empty()
                && file.extension.len() <= 10
                && file.extension.chars().all(|c| c.is_ascii_alphanumeric());
            let content_type_ok =
                file.content_type.split_once('/').is_some_and(|(a, b)| !a.is_empty() && !b.is_empty());
            if !extension_ok || !content_type_ok {
                errors.add(
                    &format!("evidence/accepted/{i}"),
                    "Give each file type an extension (like pdf) and a content type (like application/pdf)",
                );
            }
        }
        if self.max_bytes == 0 || self.max_bytes > MAX_EVIDENCE_BYTES {
            errors.add(
                "evidence/maxBytes",
                format!("The largest file must be between 1 byte and {}", describe_size(MAX_EVIDENCE_BYTES)),
            );
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Answer {
    /// A toggle; `must_be_yes` blocks submission until it is Yes (Depot Antipsychotic Injections).
    #[serde(rename_all = "camelCase")]
    YesNo {
        #[serde(default)]
        must_be_yes: bool,
    },
    #[serde(rename_all = "camelCase")]
    ShortText {
        max_length: u16,
    },
    #[serde(rename_all = "camelCase")]
    Number {
        #[serde(default)]
        min: Option<i64>,
        #[serde(default)]
        max: Option<i64>,
    },
    Date,
    #[serde(rename_all = "camelCase")]
    SingleChoice {
        options: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Question {
    /// Given by the service when left out ("q1", "q2", …); answers refer to it.
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub text: String,
    pub answer: Answer,
    #[serde(default = "required_by_default")]
    pub required: bool,
}

fn required_by_default() -> bool {
    true
}

impl Question {
    pub fn validate(&self, index: usize, errors: &mut FieldErrors) {
        let at = |field: &str| format!("questions/{index}/{field}");
        if self.text.trim().is_empty() || self.text.chars().count() > TEXT_MAX {
            errors.add(&at("text"), "Enter the question the practice must answer");
        } else if let Err(message) = super::nhs_number::refuse_pid(&self.text) {
            errors.add(&at("text"), message);
        }
        if self.id.chars().count() > 40 || !self.id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
            errors.add(&at("id"), "A question's reference may use letters, numbers, - and _ (40 at most)");
        }
        match &self.answer {
            Answer::ShortText { max_length } if *max_length == 0 || *max_length > 500 => {
                errors.add(&at("answer/maxLength"), "A short answer must allow 1 to 500 characters");
            }
            Answer::Number { min: Some(min), max: Some(max) } if min > max => {
                errors.add(&at("answer/max"), "The largest number must not be below the smallest");
            }
            Answer::SingleChoice { options } if options.len() < 2 || options.iter().any(|o| o.trim().is_empty()) => {
                errors.add(&at("answer/options"), "Give at least two choices, none of them blank");
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn price(raw: &str) -> Money {
        Money::parse(raw).unwrap()
    }

    #[test]
    fn per_unit_retainer_and_participation_values() {
        let care_plans =
            Payment::PerUnit { unit_price: price("193.42"), unit_label: "Care plan".into(), max_units: None };
        assert_eq!(care_plans.value(12).to_string(), "£2,321.04");
        let retainer = Payment::Retainer { amount: price("500.00"), information: "Read me".into() };
        assert_eq!(retainer.value(0).to_string(), "£500.00");
        assert!(!retainer.takes_units());
        assert_eq!(Payment::ParticipationOnly.value(3), Money::ZERO);
    }

    #[test]
    fn a_retainer_needs_information_and_a_unit_a_label() {
        let mut errors = FieldErrors::new();
        Payment::Retainer { amount: price("1"), information: " ".into() }.validate(&mut errors);
        Payment::PerUnit { unit_price: price("1"), unit_label: "".into(), max_units: Some(0) }.validate(&mut errors);
        let pointers = errors.pointers();
        assert_eq!(pointers, ["/payment/information", "/payment/unitLabel", "/payment/maxUnits"]);
    }

    #[test]
    fn ear_irrigation_needs_evidence_from_one_unit() {
        let evidence = EvidenceRequirement {
            required_from_units: 1,
            guidance: "Please could you provide the name of the registered practice the patient belongs to. Please do not include any PID.".into(),
            accepted: vec![FileType { extension: "pdf".into(), content_type: "application/pdf".into() }],
            max_bytes: 5 * 1024 * 1024,
        };
        assert!(!evidence.required_for(0));
        assert_eq!(describe_size(MAX_EVIDENCE_BYTES), "25 MB");
        assert_eq!(
            (describe_size(1536 * 1024), describe_size(500 * 1024), describe_size(12)),
            ("1.5 MB".into(), "500 KB".into(), "12 bytes".into())
        );
        assert!(evidence.required_for(1));
        let mut errors = FieldErrors::new();
        evidence.validate(&mut errors);
        assert!(errors.is_empty());
        let from_nothing = EvidenceRequirement { required_from_units: 0, ..evidence };
        from_nothing.validate(&mut errors);
        assert_eq!(errors.pointers(), ["/evidence/requiredFromUnits"], "0 units never needs a document");
    }

    #[test]
    fn an_empty_type_list_or_pid_in_guidance_is_refused() {
        let evidence = EvidenceRequirement {
            required_from_units: 1,
            guidance: "Patient 943 476 5919".into(),
            accepted: vec![],
            max_bytes: 0,
        };
        let mut errors = FieldErrors::new();
        evidence.validate(&mut errors);
        let pointers = errors.pointers();
        assert_eq!(pointers, ["/evidence/guidance", "/evidence/accepted", "/evidence/maxBytes"]);
    }

    #[test]
    fn questions_need_text_and_sensible_answers() {
        let depot = Question {
            id: "q1".into(),
            text: "Administered by a qualified member of staff?".into(),
            answer: Answer::YesNo { must_be_yes: true },
            required: true,
        };
        let mut errors = FieldErrors::new();
        depot.validate(0, &mut errors);
        assert!(errors.is_empty());
        let blank =
            Question { text: "".into(), answer: Answer::SingleChoice { options: vec!["Only".into()] }, ..depot };
        blank.validate(1, &mut errors);
        let pointers = errors.pointers();
        assert_eq!(pointers, ["/questions/1/text", "/questions/1/answer/options"]);
    }
}
