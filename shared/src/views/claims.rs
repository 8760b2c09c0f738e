//! What the claims routes answer: the claim screen's three panes (services,
//! components, the claim itself), the claim summary after submission, and a
//! row of the Claims page. Money is text ("2321.04") beside its display form.

use crate::domain::claim::{ClaimStatus, HistoryEntry};
use crate::domain::claim_line::{total, ClaimLine};
use crate::domain::component::Payment;
use crate::domain::component_version::in_force;
use crate::domain::financial_year::Period;
use crate::domain::money::Money;
use crate::domain::timestamp::Timestamp;
use crate::store::claims::{ClaimDocument, ClaimRecord, FileRecord, WaitingClaim};
use crate::store::components::Component;
use crate::store::records::AccountRecord;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Money as every view shows it: the amount as text, and as a person reads it.
pub fn money(amount: Money) -> Value {
    json!({ "amount": amount, "display": amount.to_string() })
}

/// A claim's status as every screen shows it: its code, and its name.
#[derive(Debug, Serialize)]
pub struct StatusView {
    pub code: ClaimStatus,
    pub label: &'static str,
}

impl From<ClaimStatus> for StatusView {
    fn from(status: ClaimStatus) -> Self {
        StatusView { code: status, label: status.label() }
    }
}

pub fn status_json(status: ClaimStatus) -> Value {
    json!(StatusView::from(status))
}

/// One move of a claim's history as the screens show it: the move, and the
/// name of whoever made it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NamedStep<'a> {
    #[serde(flatten)]
    pub step: &'a HistoryEntry,
    /// "Local Claims" for what the service did itself (the evidence check, schedules).
    pub by_name: String,
}

/// The people a history names, once each, to read their names in one call.
pub fn people_in(history: &[HistoryEntry]) -> Vec<String> {
    let mut people: Vec<String> = history.iter().map(|step| step.by.clone()).collect();
    people.sort();
    people.dedup();
    people
}

/// The history with a name for each move, from the accounts `people_in` named.
pub fn named_history<'a>(history: &'a [HistoryEntry], accounts: &HashMap<String, AccountRecord>) -> Vec<NamedStep<'a>> {
    history
        .iter()
        .map(|step| NamedStep {
            step,
            by_name: match accounts.get(&step.by) {
                Some(person) => format!("{} {}", person.first_name, person.last_name),
                None => "Local Claims".to_string(),
            },
        })
        .collect()
}

/// How a claim got where it is: where it is now, and every move, by name.
#[derive(Debug, Serialize)]
pub struct ClaimHistory<'a> {
    pub id: u64,
    pub status: StatusView,
    /// Its version now, for the `If-Match` of a change made after reading it.
    pub version: u64,
    pub history: Vec<NamedStep<'a>>,
}

impl<'a> ClaimHistory<'a> {
    pub fn of(claim: &'a ClaimRecord, accounts: &HashMap<String, AccountRecord>) -> Self {
        ClaimHistory {
            id: claim.id,
            status: claim.status.into(),
            version: claim.version,
            history: named_history(&claim.history, accounts),
        }
    }
}

pub fn file_json(file: &FileRecord) -> Value {
    json!({
        "id": file.id,
        "fileName": file.file_name,
        "contentType": file.content_type,
        "size": file.size,
        "status": file.status,
        "refusal": file.refusal,
        "uploadedAt": file.created_at,
    })
}

/// One line of the claim pane: what it is, this provider's price, its value,
/// its evidence and its questions with their answers.
pub fn line_json(line: &ClaimLine, files: &[&FileRecord]) -> Value {
    let (kind, unit_label, unit_price, max_units, retainer) = match &line.payment {
        Payment::PerUnit { unit_price, unit_label, max_units } => {
            ("per_unit", Some(unit_label.clone()), Some(money(*unit_price)), *max_units, Value::Null)
        }
        Payment::Retainer { amount, information } => {
            ("retainer", None, None, None, json!({ "amount": money(*amount), "information": information }))
        }
        Payment::ParticipationOnly => ("participation_only", None, None, None, Value::Null),
    };
    let questions: Vec<Value> = line
        .questions
        .iter()
        .map(|q| {
            json!({
                "id": q.id,
                "text": q.text,
                "answerType": q.answer,
                "required": q.required,
                "answer": line.answers.get(&q.id),
            })
        })
        .collect();
    json!({
        "id": line.id,
        "serviceId": line.service_id,
        "period": line.period_key,
        "componentId": line.component_id,
        "version": line.version,
        "name": line.name,
        "description": line.description,
        "paymentType": kind,
        "unitLabel": unit_label,
        "unitPrice": unit_price,
        "maxUnits": max_units,
        "units": line.units,
        "value": money(line.value()),
        "retainer": retainer,
        "evidence": line.evidence.as_ref().map(|rule| json!({
            "requiredFromUnits": rule.required_from_units.max(1),
            "guidance": rule.guidance,
            "accepted": rule.accepted,
            "maxBytes": rule.max_bytes,
            "needed": line.evidence_needed(),
        })),
        "attachments": files.iter().map(|f| file_json(f)).collect::<Vec<_>>(),
        "questions": questions,
    })
}

/// The claim pane and totals: what will be submitted.
pub fn claim_pane_json(document: &ClaimDocument) -> Value {
    let claim = &document.claim;
    let lines: Vec<Value> = ordered_lines(document)
        .into_iter()
        .map(|line| line_json(line, &document.files_of(&line.id).collect::<Vec<_>>()))
        .collect();
    let by_service: Vec<Value> = claim
        .services
        .iter()
        .map(|service| {
            let sum = total(document.lines.iter().filter(|l| l.service_id == service.service_id));
            json!({ "serviceId": service.service_id, "name": service.name, "period": service.period,
                    "periodLabel": service.period_label, "total": money(sum) })
        })
        .collect();
    json!({ "lines": lines, "totals": { "byService": by_service, "total": money(total(&document.lines)) } })
}

/// Lines in the order of the services, then by name.
fn ordered_lines(document: &ClaimDocument) -> Vec<&ClaimLine> {
    let rank: HashMap<&str, usize> =
        document.claim.services.iter().enumerate().map(|(i, s)| (s.service_id.as_str(), i)).collect();
    let mut lines: Vec<&ClaimLine> = document.lines.iter().collect();
    lines.sort_by_key(|l| (rank.get(l.service_id.as_str()).copied().unwrap_or(usize::MAX), l.name.to_lowercase()));
    lines
}

fn header_json(claim: &ClaimRecord) -> Value {
    json!({
        "id": claim.id,
        "status": status_json(claim.status),
        "version": claim.version,
        "provider": { "code": claim.provider, "name": claim.provider_name },
        "commissioner": { "code": claim.commissioner, "name": claim.commissioner_name },
        "submission": claim.submission,
        "claimsAnyTime": claim.claims_any_time,
        "createdAt": claim.created_at,
        "submittedAt": claim.submitted_at,
    })
}

/// The whole claim screen. `components` holds the components of the claimable
/// services, by service id; each shows the version in force at the end of the
/// period claimed (or, for a service not yet taken in, of its open period).
pub fn claim_screen_json(document: &ClaimDocument, components: &HashMap<String, Vec<Component>>) -> Value {
    let claim = &document.claim;
    let in_claim = |service_id: &str| claim.services.iter().find(|s| s.service_id == service_id);
    let services_pane: Vec<Value> = claim
        .claimable
        .iter()
        .map(|c| {
            let count = components.get(&c.service_id).map(Vec::len).unwrap_or(0);
            json!({
                "serviceId": c.service_id,
                "name": c.service_name,
                "period": c.period,
                "periodLabel": c.period_label,
                "closesAt": c.closes_at,
                "componentCount": count,
                "inClaim": in_claim(&c.service_id).is_some_and(|s| s.period == c.period),
            })
        })
        .collect();
    let components_pane: Vec<Value> = claim
        .services
        .iter()
        .map(|service| {
            let last_day = Period::from_key(&service.period).map(|p| p.last_day);
            let items: Vec<Value> = components
                .get(&service.service_id)
                .map(|list| {
                    list.iter()
                        .filter_map(|component| {
                            let version = last_day.and_then(|day| in_force(&component.versions, day))?;
                            let payment = version.definition.payment_for(&claim.provider);
                            Some(json!({
                                "componentId": component.id,
                                "name": version.definition.name,
                                "version": version.version,
                                "paymentType": match payment {
                                    Payment::PerUnit { .. } => "per_unit",
                                    Payment::Retainer { .. } => "retainer",
                                    Payment::ParticipationOnly => "participation_only",
                                },
                                "inClaim": document.line(&component.id).is_some(),
                            }))
                        })
                        .collect()
                })
                .unwrap_or_default();
            json!({ "serviceId": service.service_id, "name": service.name, "period": service.period,
                    "periodLabel": service.period_label, "components": items })
        })
        .collect();
    let mut view = header_json(claim);
    view["servicesPane"] = json!(services_pane);
    view["componentsPane"] = json!(components_pane);
    view["claimPane"] = claim_pane_json(document);
    view["history"] = json!(claim.history);
    view
}

/// The claim summary the practice sees after submitting: lines, values,
/// totals, evidence, answers and status.
pub fn claim_summary_json(document: &ClaimDocument) -> Value {
    let mut view = header_json(&document.claim);
    view["services"] = json!(document.claim.services);
    view["claimPane"] = claim_pane_json(document);
    view["history"] = json!(document.claim.history);
    view
}

/// A row of the Claims page.
pub fn claim_row_json(claim: &ClaimRecord) -> Value {
    let mut view = header_json(claim);
    view["services"] = json!(claim.services);
    view
}

/// A row of a reviewer's work list: how long it has waited, in whole days.
pub fn waiting_row_json(claim: &WaitingClaim, now: Timestamp) -> Value {
    let since = claim.waiting_since.or(claim.submitted_at);
    let days = since.map(|since| (now.as_second() - since.as_second()).max(0) / 86_400);
    let mut periods: Vec<&str> = claim.services.iter().map(|s| s.period_label.as_str()).collect();
    periods.dedup();
    json!({
        "id": claim.id,
        "status": status_json(claim.status),
        "version": claim.version,
        "provider": { "code": claim.provider, "name": claim.provider_name },
        "services": claim.services,
        "periods": periods,
        "total": claim.total.map(money),
        "submittedAt": claim.submitted_at,
        "waitingSince": since,
        "daysWaiting": days,
    })
}
