//! What the claims routes answer, each a type: the claim screen's three panes
//! (services, components, the claim itself), the claim summary after
//! submission, a row of the Claims page and of a work list, a line as edited,
//! an attachment, and a claim's history. Money is text ("2321.04") beside its
//! display form.

use super::party::Party;
use crate::domain::claim::{ClaimStatus, HistoryEntry};
use crate::domain::claim_availability::Claimable;
use crate::domain::claim_line::{total, AttachmentStatus, ClaimLine};
use crate::domain::component::{Answer, FileType, Payment};
use crate::domain::component_version::in_force;
use crate::domain::financial_year::Period;
use crate::domain::money::Money;
use crate::domain::ods::OdsCode;
use crate::domain::organisation::ClaimSubmission;
use crate::domain::review::{Stage, Verdict};
use crate::domain::timestamp::Timestamp;
use crate::store::claims::{ClaimDocument, ClaimRecord, ClaimService, FileRecord, WaitingClaim};
use crate::store::components::Component;
use crate::store::records::AccountRecord;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashMap;

/// Money as every view shows it: the amount as text, and as a person reads it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MoneyView {
    pub amount: Money,
    pub display: String,
}

pub fn money(amount: Money) -> MoneyView {
    MoneyView { amount, display: amount.to_string() }
}

/// A claim's status as every screen shows it: its code, and its name.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StatusView {
    pub code: ClaimStatus,
    pub label: &'static str,
}

impl From<ClaimStatus> for StatusView {
    fn from(status: ClaimStatus) -> Self {
        StatusView { code: status, label: status.label() }
    }
}

/// One move of a claim's history as the screens show it: the move, and the
/// name of whoever made it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
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
    history.iter().map(|step| NamedStep::of(step, accounts)).collect()
}

impl<'a> NamedStep<'a> {
    pub fn of(step: &'a HistoryEntry, accounts: &HashMap<String, AccountRecord>) -> Self {
        let by_name = match accounts.get(&step.by) {
            Some(person) => person.names().full_name(),
            None => "Local Claims".to_string(),
        };
        NamedStep { step, by_name }
    }
}

/// How a claim got where it is: where it is now, and every move, by name.
#[derive(Debug, Serialize, utoipa::ToSchema)]
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

/// An attachment: the file, and how its check went.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FileView<'a> {
    pub id: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size: u64,
    pub status: AttachmentStatus,
    pub refusal: Option<&'a str>,
    pub uploaded_at: Timestamp,
}

impl<'a> FileView<'a> {
    pub fn of(file: &'a FileRecord) -> Self {
        FileView {
            id: &file.id,
            file_name: &file.file_name,
            content_type: &file.content_type,
            size: file.size,
            status: file.status,
            refusal: file.refusal.as_deref(),
            uploaded_at: file.created_at,
        }
    }
}

/// How a component pays, as the screens name it.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PaymentType {
    PerUnit,
    Retainer,
    ParticipationOnly,
}

impl From<&Payment> for PaymentType {
    fn from(payment: &Payment) -> Self {
        match payment {
            Payment::PerUnit { .. } => PaymentType::PerUnit,
            Payment::Retainer { .. } => PaymentType::Retainer,
            Payment::ParticipationOnly => PaymentType::ParticipationOnly,
        }
    }
}

/// A retainer: the fixed amount, and what the information icon says of it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RetainerView<'a> {
    pub amount: MoneyView,
    pub information: &'a str,
}

/// What evidence a line asks for, and whether it is needed now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceView<'a> {
    pub required_from_units: u32,
    pub guidance: &'a str,
    pub accepted: &'a [FileType],
    pub max_bytes: u64,
    pub needed: bool,
}

/// A supplementary question and the practice's answer so far.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuestionView<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub answer_type: &'a Answer,
    pub required: bool,
    pub answer: Option<&'a Value>,
}

/// One line of the claim pane: what it is, this provider's price, its value,
/// its evidence and its questions with their answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LineView<'a> {
    pub id: &'a str,
    pub service_id: &'a str,
    pub period: &'a str,
    pub component_id: &'a str,
    pub version: u32,
    pub name: &'a str,
    pub description: &'a str,
    pub payment_type: PaymentType,
    pub unit_label: Option<&'a str>,
    pub unit_price: Option<MoneyView>,
    pub max_units: Option<u32>,
    pub units: Option<u32>,
    pub value: MoneyView,
    pub retainer: Option<RetainerView<'a>>,
    pub evidence: Option<EvidenceView<'a>>,
    pub attachments: Vec<FileView<'a>>,
    pub questions: Vec<QuestionView<'a>>,
}

impl<'a> LineView<'a> {
    pub fn of(line: &'a ClaimLine, files: &[&'a FileRecord]) -> Self {
        let (unit_label, unit_price, max_units, retainer) = match &line.payment {
            Payment::PerUnit { unit_price, unit_label, max_units } => {
                (Some(unit_label.as_str()), Some(money(*unit_price)), *max_units, None)
            }
            Payment::Retainer { amount, information } => {
                (None, None, None, Some(RetainerView { amount: money(*amount), information }))
            }
            Payment::ParticipationOnly => (None, None, None, None),
        };
        LineView {
            id: &line.id,
            service_id: &line.service_id,
            period: &line.period_key,
            component_id: &line.component_id,
            version: line.version,
            name: &line.name,
            description: &line.description,
            payment_type: (&line.payment).into(),
            unit_label,
            unit_price,
            max_units,
            units: line.units,
            value: money(line.value()),
            retainer,
            evidence: line.evidence.as_ref().map(|rule| EvidenceView {
                required_from_units: rule.required_from_units.max(1),
                guidance: &rule.guidance,
                accepted: &rule.accepted,
                max_bytes: rule.max_bytes,
                needed: line.evidence_needed(),
            }),
            attachments: files.iter().map(|file| FileView::of(file)).collect(),
            questions: line
                .questions
                .iter()
                .map(|q| QuestionView {
                    id: &q.id,
                    text: &q.text,
                    answer_type: &q.answer,
                    required: q.required,
                    answer: line.answers.get(&q.id),
                })
                .collect(),
        }
    }
}

/// A service's part of the claim's total.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceTotal<'a> {
    pub service_id: &'a str,
    pub name: &'a str,
    pub period: &'a str,
    pub period_label: &'a str,
    pub total: MoneyView,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Totals<'a> {
    pub by_service: Vec<ServiceTotal<'a>>,
    pub total: MoneyView,
}

/// The claim pane and totals: what will be submitted.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClaimPane<'a> {
    pub lines: Vec<LineView<'a>>,
    pub totals: Totals<'a>,
}

impl<'a> ClaimPane<'a> {
    pub fn of(document: &'a ClaimDocument) -> Self {
        let lines = ordered_lines(document)
            .into_iter()
            .map(|line| LineView::of(line, &document.files_of(&line.id).collect::<Vec<_>>()))
            .collect();
        let by_service = document
            .claim
            .services
            .iter()
            .map(|service| ServiceTotal {
                service_id: &service.service_id,
                name: &service.name,
                period: &service.period,
                period_label: &service.period_label,
                total: money(total(document.lines.iter().filter(|l| l.service_id == service.service_id))),
            })
            .collect();
        ClaimPane { lines, totals: Totals { by_service, total: money(total(&document.lines)) } }
    }
}

/// Lines in the order of the services, then by name.
fn ordered_lines(document: &ClaimDocument) -> Vec<&ClaimLine> {
    let rank: HashMap<&str, usize> =
        document.claim.services.iter().enumerate().map(|(i, s)| (s.service_id.as_str(), i)).collect();
    let mut lines: Vec<&ClaimLine> = document.lines.iter().collect();
    lines.sort_by_key(|l| (rank.get(l.service_id.as_str()).copied().unwrap_or(usize::MAX), l.name.to_lowercase()));
    lines
}

/// What every view of a claim starts with: which claim, where it is, whose.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClaimHeader<'a> {
    pub id: u64,
    pub status: StatusView,
    pub version: u64,
    pub provider: Party<'a>,
    pub commissioner: Party<'a>,
    pub submission: ClaimSubmission,
    pub claims_any_time: bool,
    pub created_at: Timestamp,
    pub submitted_at: Option<Timestamp>,
}

impl<'a> ClaimHeader<'a> {
    pub fn of(claim: &'a ClaimRecord) -> Self {
        ClaimHeader {
            id: claim.id,
            status: claim.status.into(),
            version: claim.version,
            provider: Party { code: &claim.provider, name: &claim.provider_name },
            commissioner: Party { code: &claim.commissioner, name: &claim.commissioner_name },
            submission: claim.submission,
            claims_any_time: claim.claims_any_time,
            created_at: claim.created_at,
            submitted_at: claim.submitted_at,
        }
    }
}

/// A row of the services pane: a service the practice may claim, and whether it is in the claim.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRow<'a> {
    pub service_id: &'a str,
    pub name: &'a str,
    pub period: &'a str,
    pub period_label: &'a str,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closes_at: Option<jiff::Timestamp>,
    pub component_count: usize,
    pub in_claim: bool,
}

/// A component of a service in the claim, in the version in force for its period.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ComponentRow<'a> {
    pub component_id: &'a str,
    pub name: &'a str,
    pub version: u32,
    pub payment_type: PaymentType,
    pub in_claim: bool,
}

/// A service in the claim and its components (the components pane).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceComponents<'a> {
    pub service_id: &'a str,
    pub name: &'a str,
    pub period: &'a str,
    pub period_label: &'a str,
    pub components: Vec<ComponentRow<'a>>,
}

/// The whole claim screen, its history as `H` says each move (by name, on GET).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClaimScreen<'a, H: Serialize> {
    #[serde(flatten)]
    pub header: ClaimHeader<'a>,
    pub services_pane: Vec<ServiceRow<'a>>,
    pub components_pane: Vec<ServiceComponents<'a>>,
    pub claim_pane: ClaimPane<'a>,
    #[schema(inline)]
    pub history: Vec<H>,
}

impl<'a> ClaimScreen<'a, &'a HistoryEntry> {
    /// `components` holds the components of the claimable services, by service
    /// id; each shows the version in force at the end of the period claimed (or,
    /// for a service not yet taken in, of its open period).
    pub fn of(document: &'a ClaimDocument, components: &'a HashMap<String, Vec<Component>>) -> Self {
        let claim = &document.claim;
        let in_claim =
            |c: &Claimable| claim.services.iter().any(|s| s.service_id == c.service_id && s.period == c.period);
        let services_pane = claim
            .claimable
            .iter()
            .map(|c| ServiceRow {
                service_id: &c.service_id,
                name: &c.service_name,
                period: &c.period,
                period_label: &c.period_label,
                closes_at: c.closes_at,
                component_count: components.get(&c.service_id).map(Vec::len).unwrap_or(0),
                in_claim: in_claim(c),
            })
            .collect();
        let components_pane = claim
            .services
            .iter()
            .map(|service| ServiceComponents {
                service_id: &service.service_id,
                name: &service.name,
                period: &service.period,
                period_label: &service.period_label,
                components: components_in_force(document, service, components.get(&service.service_id)),
            })
            .collect();
        ClaimScreen {
            header: ClaimHeader::of(claim),
            services_pane,
            components_pane,
            claim_pane: ClaimPane::of(document),
            history: claim.history.iter().collect(),
        }
    }

    /// The same screen, each move named from `accounts` (see [`people_in`]).
    pub fn named(self, accounts: &HashMap<String, AccountRecord>) -> ClaimScreen<'a, NamedStep<'a>> {
        let ClaimScreen { header, services_pane, components_pane, claim_pane, history } = self;
        let history = history.into_iter().map(|step| NamedStep::of(step, accounts)).collect();
        ClaimScreen { header, services_pane, components_pane, claim_pane, history }
    }
}

/// A decision open to the caller on the claim now: the stage and its verdicts.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DecisionOpen {
    pub stage: &'static str,
    pub stage_label: &'static str,
    /// None when someone else must decide (they submitted it, or approved it at Tier 1).
    pub verdicts: Vec<Verdict>,
}

/// The claim screen as its caller opens it: each move by name, and the
/// decision open to them (null when none is).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OpenedClaim<'a> {
    #[serde(flatten)]
    pub screen: ClaimScreen<'a, NamedStep<'a>>,
    pub decide: Option<DecisionOpen>,
}

/// The components of one service of the claim, each in the version in force
/// on the last day of the period claimed.
fn components_in_force<'a>(
    document: &ClaimDocument, service: &ClaimService, components: Option<&'a Vec<Component>>,
) -> Vec<ComponentRow<'a>> {
    let Some(last_day) = Period::from_key(&service.period).map(|p| p.last_day) else {
        return Vec::new();
    };
    components
        .into_iter()
        .flatten()
        .filter_map(|component| {
            let version = in_force(&component.versions, last_day)?;
            Some(ComponentRow {
                component_id: &component.id,
                name: &version.definition.name,
                version: version.version,
                payment_type: (&version.definition.payment_for(&document.claim.provider)).into(),
                in_claim: document.line(&component.id).is_some(),
            })
        })
        .collect()
}

/// The claim summary the practice sees after submitting: lines, values,
/// totals, evidence, answers and status.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClaimSummary<'a> {
    #[serde(flatten)]
    pub header: ClaimHeader<'a>,
    pub services: &'a [ClaimService],
    pub claim_pane: ClaimPane<'a>,
    pub history: &'a [HistoryEntry],
}

impl<'a> ClaimSummary<'a> {
    pub fn of(document: &'a ClaimDocument) -> Self {
        ClaimSummary {
            header: ClaimHeader::of(&document.claim),
            services: &document.claim.services,
            claim_pane: ClaimPane::of(document),
            history: &document.claim.history,
        }
    }
}

/// A view, and whether the emails it caused were queued (`queued`, `failed`, …).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Notified<V: Serialize> {
    #[serde(flatten)]
    #[schema(inline)]
    pub view: V,
    pub notification: &'static str,
}

/// A row of the Claims page.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClaimRow<'a> {
    #[serde(flatten)]
    pub header: ClaimHeader<'a>,
    pub services: &'a [ClaimService],
}

impl<'a> ClaimRow<'a> {
    pub fn of(claim: &'a ClaimRecord) -> Self {
        ClaimRow { header: ClaimHeader::of(claim), services: &claim.services }
    }
}

/// A row of a reviewer's work list: how long it has waited, in whole days.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WaitingRow<'a> {
    pub id: u64,
    pub status: StatusView,
    pub version: u64,
    pub provider: Party<'a>,
    pub services: &'a [ClaimService],
    pub periods: Vec<&'a str>,
    pub total: Option<MoneyView>,
    pub submitted_at: Option<Timestamp>,
    pub waiting_since: Option<Timestamp>,
    pub days_waiting: Option<i64>,
}

impl<'a> WaitingRow<'a> {
    pub fn of(claim: &'a WaitingClaim, now: Timestamp) -> Self {
        let since = claim.waiting_since.or(claim.submitted_at);
        let mut periods: Vec<&str> = claim.services.iter().map(|s| s.period_label.as_str()).collect();
        periods.dedup();
        WaitingRow {
            id: claim.id,
            status: claim.status.into(),
            version: claim.version,
            provider: Party { code: &claim.provider, name: &claim.provider_name },
            services: &claim.services,
            periods,
            total: claim.total.map(money),
            submitted_at: claim.submitted_at,
            waiting_since: since,
            days_waiting: since.map(|since| (now.as_second() - since.as_second()).max(0) / 86_400),
        }
    }
}

/// What a work list is of: the stage, and the organisation that decides at it
/// (the practice for its own approval, else the commissioner).
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkList<'a> {
    pub stage: &'static str,
    pub stage_label: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<&'a OdsCode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commissioner: Option<&'a OdsCode>,
}

impl<'a> WorkList<'a> {
    pub fn of(stage: Stage, deciding: &'a OdsCode) -> Self {
        let (provider, commissioner) =
            if stage.decided_by_provider() { (Some(deciding), None) } else { (None, Some(deciding)) };
        WorkList { stage: stage.code(), stage_label: stage.label(), provider, commissioner }
    }
}

/// A line as edited, with the claim's new version and its pane's new totals.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LineEdited<'a> {
    pub id: u64,
    pub version: u64,
    pub line: LineView<'a>,
    pub claim_pane: ClaimPane<'a>,
}

/// A claim or a file that is gone: which, and that it is.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Deleted<I: Serialize> {
    #[schema(inline)]
    pub id: I,
    pub deleted: bool,
    /// The claim's version after a file went from it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<u64>,
}

/// Where a file goes to or comes from: a presigned address, valid until `expires_at`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Transfer<'a> {
    pub url: &'a str,
    pub method: &'a str,
    /// The headers the upload must send, as signed (none for a download).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<&'a std::collections::BTreeMap<String, String>>,
    pub expires_at: Timestamp,
}

impl<'a> Transfer<'a> {
    pub fn upload(presigned: &'a crate::files::Presigned) -> Self {
        Transfer {
            url: &presigned.url,
            method: &presigned.method,
            headers: Some(&presigned.headers),
            expires_at: crate::files::url_expiry(),
        }
    }

    pub fn download(presigned: &'a crate::files::Presigned) -> Self {
        Transfer { url: &presigned.url, method: "GET", headers: None, expires_at: crate::files::url_expiry() }
    }
}

/// Add Attachment's answer: the file recorded, where to PUT it, and the claim's version now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UploadOffered<'a> {
    pub attachment: FileView<'a>,
    pub upload: Transfer<'a>,
    pub version: u64,
}

/// Whether a practice may start a claim now, and what it could claim.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AvailabilityView<'a> {
    pub provider: Party<'a>,
    pub claims_any_time: bool,
    #[serde(flatten)]
    pub availability: &'a crate::domain::claim_availability::Availability,
}

#[cfg(test)]
mod schema_tests {
    #[test]
    fn prints_the_history_schema() {
        let mut schemas = Vec::new();
        <super::ClaimHistory as utoipa::ToSchema>::schemas(&mut schemas);
        let named = <super::ClaimHistory as utoipa::PartialSchema>::schema();
        println!("{}", serde_json::to_string_pretty(&named).unwrap());
        for (name, schema) in schemas {
            println!("{name}: {}", serde_json::to_string(&schema).unwrap());
        }
    }
}
