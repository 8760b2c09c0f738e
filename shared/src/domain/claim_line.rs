//! A line of a claim: one component of one service, as the version in force at
//! the end of the claimed period defines it for this provider (its price, its
//! evidence rule, its questions), with the units, answers and evidence the
//! practice gives. A later price change never alters a line.

use super::component::{Answer, EvidenceRequirement, Payment, Question};
use super::component_version::ComponentVersion;
use super::money::Money;
use super::nhs_number::refuse_pid;
use super::ods::OdsCode;
use super::validation::FieldErrors;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The most units one line may claim when its component sets no maximum.
pub const UNITS_CEILING: u32 = 1_000_000;

/// The most one line may be worth (units × price): a claim beyond it is a
/// mistake to catch before it reaches review, not a payment to make.
pub const LINE_VALUE_MAX: Money = Money::from_pence(1_000_000_000);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimLine {
    /// The component's id: a component is in a claim once.
    pub id: String,
    pub service_id: String,
    pub period_key: String,
    pub component_id: String,
    pub version: u32,
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// This provider's payment (its own tariff if it has one).
    pub payment: Payment,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceRequirement>,
    #[serde(default)]
    pub questions: Vec<Question>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<u32>,
    /// Answers by question id, as checked against each question's type.
    #[serde(default)]
    pub answers: BTreeMap<String, Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentStatus {
    /// A presigned upload was given; nothing has arrived yet.
    AwaitingUpload,
    /// Arrived; the anti-malware and content checks are running.
    Scanning,
    Clean,
    Refused,
}

/// What a line's evidence looks like to the submit check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvidenceFile {
    pub file_name: String,
    pub status: AttachmentStatus,
    pub refusal: Option<String>,
}

impl ClaimLine {
    /// A new line for a component, as one version defines it for one provider
    /// (its own price): no units yet, every Yes/No question starting at No.
    pub fn new(
        service_id: &str, period_key: &str, component_id: &str, version: &ComponentVersion, provider: &OdsCode,
    ) -> Self {
        let definition = &version.definition;
        let answers = definition
            .questions
            .iter()
            .filter(|q| matches!(q.answer, Answer::YesNo { .. }))
            .map(|q| (q.id.clone(), Value::Bool(false)))
            .collect();
        ClaimLine {
            id: component_id.to_string(),
            service_id: service_id.to_string(),
            period_key: period_key.to_string(),
            component_id: component_id.to_string(),
            version: version.version,
            name: definition.name.clone(),
            description: definition.description.clone(),
            payment: definition.payment_for(provider),
            evidence: definition.evidence.clone(),
            questions: definition.questions.clone(),
            units: None,
            answers,
        }
    }

    /// What this line is worth: units × this provider's unit price (0 until
    /// units are entered), the retainer's amount, or nothing.
    pub fn value(&self) -> Money {
        self.payment.value(self.units.unwrap_or(0))
    }

    pub fn evidence_needed(&self) -> bool {
        match (&self.evidence, self.payment.takes_units()) {
            (Some(rule), true) => rule.required_for(self.units.unwrap_or(0)),
            (Some(_), false) => true,
            (None, _) => false,
        }
    }

    fn max_units(&self) -> u32 {
        match &self.payment {
            Payment::PerUnit { max_units: Some(max), .. } => *max,
            _ => UNITS_CEILING,
        }
    }

    /// Applies an edit of units and answers, checking each field against this
    /// line's component; every problem is reported, at `lines/<id>/…`.
    pub fn edit(&mut self, edit: &LineEdit) -> Result<(), FieldErrors> {
        let mut next = self.clone();
        next.apply(edit)?;
        *self = next;
        Ok(())
    }

    fn apply(&mut self, edit: &LineEdit) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        let at = |field: &str| format!("lines/{}/{field}", self.id);
        if let Some(raw) = &edit.units {
            if !self.payment.takes_units() {
                errors.add(&at("units"), "This component takes no units: there is nothing to enter");
            } else if raw.is_null() {
                self.units = None;
            } else {
                match raw.as_u64().and_then(|n| u32::try_from(n).ok()) {
                    Some(units) if units <= self.max_units() && self.payment.value(units) > LINE_VALUE_MAX => errors
                        .add(
                            &at("units"),
                            format!("A line cannot be worth more than {LINE_VALUE_MAX}: check the number of units"),
                        ),
                    Some(units) if units <= self.max_units() => self.units = Some(units),
                    Some(_) => errors.add(&at("units"), format!("Enter {} units or fewer", self.max_units())),
                    None => errors.add(&at("units"), "Enter the number of units as a whole number, 0 or more"),
                }
            }
        }
        for (question_id, raw) in &edit.answers {
            let Some(question) = self.questions.iter().find(|q| &q.id == question_id) else {
                errors.add(&at(&format!("answers/{question_id}")), "This component has no such question");
                continue;
            };
            if raw.is_null() {
                self.answers.remove(question_id);
                continue;
            }
            match check_answer(question, raw) {
                Ok(value) => {
                    self.answers.insert(question_id.clone(), value);
                }
                Err(message) => errors.add(&at(&format!("answers/{question_id}")), message),
            }
        }
        errors.into_result()
    }

    /// Everything that stops this line being submitted, at `lines/<id>/…`.
    pub fn problems(&self, files: &[EvidenceFile], errors: &mut FieldErrors) {
        let at = |field: &str| format!("lines/{}/{field}", self.id);
        if self.payment.takes_units() && self.units.is_none() {
            errors.add(&at("units"), format!("Enter the number of units for {} (0 if none)", self.name));
        }
        for file in files {
            match file.status {
                AttachmentStatus::Refused => errors.add(
                    &at("attachments"),
                    format!(
                        "{} was refused ({}): delete it and attach a replacement",
                        file.file_name,
                        file.refusal.as_deref().unwrap_or("it did not pass the checks")
                    ),
                ),
                AttachmentStatus::AwaitingUpload => errors.add(
                    &at("attachments"),
                    format!("{} has not finished uploading: upload it again or delete it", file.file_name),
                ),
                AttachmentStatus::Scanning | AttachmentStatus::Clean => {}
            }
        }
        let arrived = files.iter().any(|f| matches!(f.status, AttachmentStatus::Scanning | AttachmentStatus::Clean));
        if self.evidence_needed() && !arrived {
            errors.add(&at("attachments"), format!("Attach the evidence {} needs for the units claimed", self.name));
        }
        for question in &self.questions {
            let answer = self.answers.get(&question.id);
            let field = at(&format!("answers/{}", question.id));
            match (&question.answer, answer) {
                (Answer::YesNo { must_be_yes: true }, answer) if answer != Some(&Value::Bool(true)) => {
                    errors.add(&field, format!("Switch \"{}\" to Yes before you submit", question.text));
                }
                (_, None) if question.required && !matches!(question.answer, Answer::YesNo { .. }) => {
                    errors.add(&field, format!("Answer \"{}\"", question.text));
                }
                _ => {}
            }
        }
    }
}

/// An edit of one line: units (null clears them) and answers by question id
/// (null clears one).
#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = LineChanges)]
pub struct LineEdit {
    #[serde(default)]
    #[schema(schema_with = crate::edge::openapi::fields::units)]
    pub units: Option<Value>,
    #[serde(default)]
    #[schema(schema_with = crate::edge::openapi::fields::answers)]
    pub answers: BTreeMap<String, Value>,
}

/// An answer checked against its question's type, in the form it is kept.
pub fn check_answer(question: &Question, raw: &Value) -> Result<Value, String> {
    match &question.answer {
        Answer::YesNo { .. } => raw.as_bool().map(Value::Bool).ok_or_else(|| "Choose Yes or No".to_string()),
        Answer::ShortText { max_length } => {
            let text = raw.as_str().ok_or("Enter your answer as text")?.trim();
            if text.chars().count() > usize::from(*max_length) {
                return Err(format!("Enter {max_length} characters or fewer"));
            }
            if text.chars().any(|c| c.is_control()) {
                return Err("Remove the control characters from your answer".to_string());
            }
            refuse_pid(text)?;
            Ok(Value::String(text.to_string()))
        }
        Answer::Number { min, max } => {
            let number = raw.as_i64().ok_or("Enter a whole number")?;
            if min.is_some_and(|m| number < m) || max.is_some_and(|m| number > m) {
                return Err(match (min, max) {
                    (Some(low), Some(high)) => format!("Enter a number from {low} to {high}"),
                    (Some(low), None) => format!("Enter a number of at least {low}"),
                    (None, _) => format!("Enter a number of at most {}", max.unwrap_or_default()),
                });
            }
            Ok(Value::from(number))
        }
        Answer::Date => {
            let date: Date = raw.as_str().and_then(|text| text.parse().ok()).ok_or("Enter a date, like 2026-06-30")?;
            Ok(Value::String(date.to_string()))
        }
        Answer::SingleChoice { options } => {
            let choice = raw.as_str().ok_or("Choose one of the options")?;
            options
                .iter()
                .find(|o| o.as_str() == choice)
                .map(|o| Value::String(o.clone()))
                .ok_or_else(|| format!("Choose one of: {}", options.join(", ")))
        }
    }
}

/// A file a practice is about to upload as a line's evidence, as the browser
/// describes it. Checked before any upload URL is made (and again on the stored
/// object by the scan).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = AttachmentForm)]
pub struct EvidenceUpload {
    #[serde(default)]
    #[schema(schema_with = crate::edge::openapi::fields::file_name, required = true)]
    pub file_name: String,
    #[serde(default)]
    #[schema(schema_with = crate::edge::openapi::fields::content_type, required = true)]
    pub content_type: String,
    #[serde(default)]
    #[schema(schema_with = crate::edge::openapi::fields::file_size, required = true)]
    pub size: u64,
}

pub const FILE_NAME_MAX: usize = 200;

impl EvidenceUpload {
    /// Every problem with the file against the line's evidence rule.
    pub fn check(&self, rule: &EvidenceRequirement) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = self.file_name.trim();
        if name.is_empty() || name.chars().count() > FILE_NAME_MAX {
            errors.add("fileName", format!("Give the file's name, in {FILE_NAME_MAX} characters or fewer"));
        } else if name.chars().any(|c| c.is_control() || c == '/' || c == '\\') {
            errors.add("fileName", "The file's name cannot contain slashes or control characters");
        } else if let Err(message) = refuse_pid(name) {
            errors.add("fileName", format!("The file's name holds an NHS number. {message}"));
        }
        let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        let accepted: Vec<String> = rule.accepted.iter().map(|t| format!(".{}", t.extension)).collect();
        match rule.accepted.iter().find(|t| t.extension.eq_ignore_ascii_case(&extension)) {
            None => errors.add("fileName", format!("Upload a file of an accepted type: {}", accepted.join(", "))),
            Some(wanted) if !wanted.content_type.eq_ignore_ascii_case(self.content_type.trim()) => errors
                .add("contentType", format!("A .{} file must be sent as {}", wanted.extension, wanted.content_type)),
            Some(_) => {}
        }
        if self.size == 0 {
            errors.add("size", "The file is empty");
        } else if self.size > rule.max_bytes {
            errors.add("size", format!("The file must be {} or smaller", size_words(rule.max_bytes)));
        }
        errors.into_result()
    }
}

fn size_words(bytes: u64) -> String {
    if bytes >= 1024 * 1024 && bytes.is_multiple_of(1024 * 1024) {
        format!("{} MB", bytes / (1024 * 1024))
    } else if bytes >= 1024 {
        format!("{} KB", bytes / 1024)
    } else {
        format!("{bytes} bytes")
    }
}

/// The total of some lines.
pub fn total<'a>(lines: impl IntoIterator<Item = &'a ClaimLine>) -> Money {
    lines.into_iter().fold(Money::ZERO, |sum, line| sum.plus(line.value()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::component::FileType;
    use serde_json::json;

    fn pounds(raw: &str) -> Money {
        Money::parse(raw).unwrap()
    }

    fn line(id: &str, payment: Payment) -> ClaimLine {
        ClaimLine {
            id: id.into(),
            service_id: "s1".into(),
            period_key: "2026-27-Q1".into(),
            component_id: id.into(),
            version: 1,
            name: id.into(),
            description: String::new(),
            payment,
            evidence: None,
            questions: vec![],
            units: None,
            answers: BTreeMap::new(),
        }
    }

    fn care_plans() -> ClaimLine {
        line(
            "care-plans",
            Payment::PerUnit { unit_price: pounds("193.42"), unit_label: "Care plan".into(), max_units: Some(500) },
        )
    }

    fn ear_irrigation() -> ClaimLine {
        ClaimLine {
            evidence: Some(EvidenceRequirement {
                required_from_units: 1,
                guidance: "Name the registered practice".into(),
                accepted: vec![FileType { extension: "pdf".into(), content_type: "application/pdf".into() }],
                max_bytes: 1024,
            }),
            ..line(
                "ear",
                Payment::PerUnit { unit_price: pounds("20.00"), unit_label: "Procedure".into(), max_units: None },
            )
        }
    }

    fn depot() -> ClaimLine {
        ClaimLine {
            questions: vec![Question {
                id: "q1".into(),
                text: "Administered by a qualified member of staff?".into(),
                answer: Answer::YesNo { must_be_yes: true },
                required: true,
            }],
            ..line("depot", Payment::ParticipationOnly)
        }
    }

    fn edit(value: Value) -> LineEdit {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn twelve_care_plans_come_to_2321_04() {
        let mut plans = care_plans();
        plans.edit(&edit(json!({"units": 12}))).unwrap();
        assert_eq!(plans.value().to_string(), "£2,321.04");
        let retainer = line("retainer", Payment::Retainer { amount: pounds("500.00"), information: "Read".into() });
        assert_eq!(total([&plans, &retainer]).to_string(), "£2,821.04");
    }

    #[test]
    fn a_line_worth_more_than_ten_million_pounds_is_refused() {
        let mut dear = line(
            "dear",
            Payment::PerUnit { unit_price: pounds("1000000.00"), unit_label: "Plan".into(), max_units: None },
        );
        dear.edit(&edit(json!({"units": 10}))).unwrap();
        let refused = dear.edit(&edit(json!({"units": 11}))).unwrap_err();
        assert_eq!(refused.pointers(), ["/lines/dear/units"]);
        assert_eq!(dear.units, Some(10), "a refused edit changes nothing");
    }

    #[test]
    fn a_new_line_takes_the_providers_price_and_starts_its_toggles_at_no() {
        use crate::domain::component_form::{ComponentDefinition, Tariff};
        let a81002 = OdsCode::parse("A81002").unwrap();
        let version = ComponentVersion {
            version: 2,
            effective_from: "2026-04-01".parse().unwrap(),
            definition: ComponentDefinition {
                name: "Depot".into(),
                description: String::new(),
                payment: Payment::PerUnit {
                    unit_price: pounds("15.00"),
                    unit_label: "Injection".into(),
                    max_units: None,
                },
                evidence: None,
                questions: depot().questions,
                tariffs: vec![Tariff { provider: a81002.clone(), price: pounds("16.50") }],
            },
        };
        let line = ClaimLine::new("s1", "2026-27-Q2", "c1", &version, &a81002);
        assert_eq!((line.id.as_str(), line.version, line.units), ("c1", 2, None));
        assert_eq!(line.answers.get("q1"), Some(&Value::Bool(false)));
        let mut priced = line.clone();
        priced.units = Some(2);
        assert_eq!(priced.value().to_string(), "£33.00", "the practice's own tariff");
    }

    #[test]
    fn units_are_whole_numbers_within_the_components_maximum() {
        let mut plans = care_plans();
        for bad in [json!(-1), json!(1.5), json!("12"), json!(501)] {
            let errors = plans.edit(&edit(json!({ "units": bad }))).unwrap_err();
            assert_eq!(errors.pointers(), ["/lines/care-plans/units"]);
        }
        assert_eq!(plans.units, None, "a refused edit changes nothing");
        let mut depot_plans = care_plans();
        assert!(depot_plans.edit(&edit(json!({"units": 3, "answers": {"nope": 1}}))).is_err());
        assert_eq!(depot_plans.units, None, "not even the part that was right");
        plans.edit(&edit(json!({"units": 0}))).unwrap();
        assert_eq!(plans.value(), Money::ZERO);
        let mut retainer = line("retainer", Payment::Retainer { amount: pounds("1"), information: "i".into() });
        assert!(retainer.edit(&edit(json!({"units": 3}))).is_err());
    }

    #[test]
    fn evidence_is_needed_from_one_unit_and_not_at_zero() {
        let mut ear = ear_irrigation();
        ear.edit(&edit(json!({"units": 0}))).unwrap();
        let mut errors = FieldErrors::new();
        ear.problems(&[], &mut errors);
        assert!(errors.is_empty());
        ear.edit(&edit(json!({"units": 1}))).unwrap();
        ear.problems(&[], &mut errors);
        assert_eq!(errors.pointers(), ["/lines/ear/attachments"]);
        let mut errors = FieldErrors::new();
        let uploaded =
            EvidenceFile { file_name: "practice.pdf".into(), status: AttachmentStatus::Scanning, refusal: None };
        ear.problems(&[uploaded], &mut errors);
        assert!(errors.is_empty(), "a file still being scanned is evidence; the claim waits in system review");
    }

    #[test]
    fn refused_and_unfinished_files_stop_a_submission() {
        let mut ear = ear_irrigation();
        ear.edit(&edit(json!({"units": 2}))).unwrap();
        let files = [
            EvidenceFile {
                file_name: "a.pdf".into(),
                status: AttachmentStatus::Refused,
                refusal: Some("it holds a virus".into()),
            },
            EvidenceFile { file_name: "b.pdf".into(), status: AttachmentStatus::AwaitingUpload, refusal: None },
        ];
        let mut errors = FieldErrors::new();
        ear.problems(&files, &mut errors);
        let details: Vec<_> = errors.iter().map(|e| e.detail.clone()).collect();
        assert_eq!(details.len(), 3);
        assert!(details[0].contains("a.pdf was refused (it holds a virus)"));
        assert!(details[1].contains("b.pdf has not finished uploading"));
        assert!(details[2].starts_with("Attach the evidence"));
    }

    #[test]
    fn a_must_be_yes_toggle_starts_at_no_and_blocks_until_yes() {
        let mut injections = depot();
        let mut errors = FieldErrors::new();
        injections.problems(&[], &mut errors);
        assert_eq!(errors.pointers(), ["/lines/depot/answers/q1"]);
        injections.edit(&edit(json!({"answers": {"q1": false}}))).unwrap();
        let mut errors = FieldErrors::new();
        injections.problems(&[], &mut errors);
        assert_eq!(
            errors.iter().next().unwrap().detail,
            "Switch \"Administered by a qualified member of staff?\" to Yes before you submit"
        );
        injections.edit(&edit(json!({"answers": {"q1": true}}))).unwrap();
        let mut errors = FieldErrors::new();
        injections.problems(&[], &mut errors);
        assert!(errors.is_empty());
        assert!(injections.edit(&edit(json!({"answers": {"q1": "yes"}}))).is_err());
        assert!(injections.edit(&edit(json!({"answers": {"q9": true}}))).is_err());
    }

    #[test]
    fn answers_are_checked_by_question_type_and_refuse_patient_data() {
        let question = |answer: Answer| Question { id: "q".into(), text: "Q".into(), answer, required: true };
        let text = question(Answer::ShortText { max_length: 20 });
        assert_eq!(check_answer(&text, &json!("  Dr Patel ")), Ok(json!("Dr Patel")));
        assert!(check_answer(&text, &json!("x".repeat(21))).is_err());
        let pid = check_answer(&text, &json!("NHS 943 476 5919")).unwrap_err();
        assert!(pid.contains("NHS number"));
        let number = question(Answer::Number { min: Some(0), max: Some(10) });
        assert_eq!(check_answer(&number, &json!(10)), Ok(json!(10)));
        assert_eq!(check_answer(&number, &json!(11)).unwrap_err(), "Enter a number from 0 to 10");
        let date = question(Answer::Date);
        assert_eq!(check_answer(&date, &json!("2026-06-30")), Ok(json!("2026-06-30")));
        assert!(check_answer(&date, &json!("30/06/2026")).is_err());
        let choice = question(Answer::SingleChoice { options: vec!["Nurse".into(), "GP".into()] });
        assert_eq!(check_answer(&choice, &json!("GP")), Ok(json!("GP")));
        assert_eq!(check_answer(&choice, &json!("HCA")).unwrap_err(), "Choose one of: Nurse, GP");
    }

    #[test]
    fn an_upload_is_checked_against_the_evidence_rule_before_any_url_is_made() {
        let rule = ear_irrigation().evidence.unwrap();
        let upload = |name: &str, content_type: &str, size: u64| EvidenceUpload {
            file_name: name.into(),
            content_type: content_type.into(),
            size,
        };
        assert!(upload("practice names.PDF", "application/pdf", 1000).check(&rule).is_ok());
        let wrong_type = upload("names.docx", "application/pdf", 10).check(&rule).unwrap_err();
        assert_eq!(wrong_type.pointers(), ["/fileName"]);
        assert!(wrong_type.iter().next().unwrap().detail.ends_with("accepted type: .pdf"));
        let mismatch = upload("names.pdf", "image/png", 10).check(&rule).unwrap_err();
        assert_eq!(mismatch.pointers(), ["/contentType"]);
        let too_big = upload("names.pdf", "application/pdf", 1025).check(&rule).unwrap_err();
        assert_eq!(too_big.iter().next().unwrap().detail, "The file must be 1 KB or smaller");
        let pid = upload("referral 9434765919.pdf", "application/pdf", 10).check(&rule).unwrap_err();
        assert!(pid.iter().next().unwrap().detail.contains("NHS number"));
        assert!(upload("../x.pdf", "application/pdf", 10).check(&rule).is_err());
        assert!(upload("x.pdf", "application/pdf", 0).check(&rule).is_err());
    }

    #[test]
    fn a_required_question_left_unanswered_is_named() {
        let mut plans = care_plans();
        plans.questions = vec![Question {
            id: "clinician".into(),
            text: "Who wrote the care plans?".into(),
            answer: Answer::ShortText { max_length: 100 },
            required: true,
        }];
        let mut errors = FieldErrors::new();
        plans.problems(&[], &mut errors);
        assert_eq!(errors.pointers(), ["/lines/care-plans/units", "/lines/care-plans/answers/clinician"]);
    }
}
