//! Claims: one partition per claim (`CLAIM#<id>`) holding the claim, its lines
//! (one per component) and their evidence files, so a claim with every line
//! reads in one query. Ids come from an atomic counter and are never reused.
//! Every change is conditional on the claim's version and written with its
//! audit entry; submitting writes the claim markers (one claim per service and
//! period) in the same transaction.

use super::audit::AuditEntry;
use super::totals::Counting;
use super::windows::ClaimMarker;
use super::{applied, cursor, keys, n, s, Page, Store, TransactFailure};
use crate::domain::audit_action::AuditAction;
use crate::domain::claim::{ClaimStatus, HistoryEntry};
use crate::domain::claim_availability::Claimable;
use crate::domain::claim_line::{AttachmentStatus, ClaimLine, EvidenceFile};
use crate::domain::money::Money;
use crate::domain::ods::OdsCode;
use crate::domain::organisation::ClaimSubmission;
use crate::domain::report::{contribution, Counted};
use crate::domain::review::Stage;
use crate::domain::timestamp::Timestamp;
use crate::error::AppError;
use crate::error::ConflictKind;
use aws_sdk_dynamodb::types::builders::UpdateBuilder;
use aws_sdk_dynamodb::types::{AttributeValue, ConditionCheck, Delete, TransactWriteItem, Update};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

/// The first claim id is one more than this (the guides' example is 35929).
pub(crate) const CLAIM_IDS_AFTER: u64 = 35_928;
/// A service taken into a claim, for the period claimed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimService {
    pub service_id: String,
    pub name: String,
    pub period: String,
    pub period_label: String,
    /// When its window closes; none for a claim entered in bulk (after its
    /// window) or for a practice that claims any time. Written as `null`.
    #[serde(default)]
    pub closes_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub id: u64,
    pub provider: OdsCode,
    pub provider_name: String,
    pub commissioner: OdsCode,
    pub commissioner_name: String,
    pub submission: ClaimSubmission,
    pub claims_any_time: bool,
    pub status: ClaimStatus,
    pub version: u64,
    /// What the provider could claim when the claim was started (the services pane).
    #[serde(default)]
    pub claimable: Vec<Claimable>,
    /// Services taken into the claim (the green ticks), each for one period.
    #[serde(default)]
    pub services: Vec<ClaimService>,
    /// The services' ids and periods again, for list filters.
    #[serde(default)]
    pub(crate) service_ids: Vec<String>,
    #[serde(default)]
    pub(crate) periods: Vec<String>,
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    pub created_at: Timestamp,
    pub created_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_by: Option<String>,
    pub updated_at: Timestamp,
    #[serde(rename = "GSI1PK")]
    pub(crate) gsi1pk: String,
    #[serde(rename = "GSI1SK")]
    pub(crate) gsi1sk: String,
    #[serde(rename = "GSI4PK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi4pk: Option<String>,
    #[serde(rename = "GSI4SK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi4sk: Option<String>,
    /// The claim's value when submitted (or entered): the work lists show it
    /// and Tier 2 compares it with the Finance threshold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total: Option<Money>,
    /// The commissioner's Finance threshold when the claim was submitted: a
    /// claim is judged by the rule in force when it was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finance_threshold: Option<Money>,
    /// Since when it has waited for the decision it waits for (work lists).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub waiting_since: Option<Timestamp>,
    /// What the claim adds to its commissioner's report totals now, by
    /// service and period (empty while a draft): taken off when it moves.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub counted: Counted,
    /// The payment run that pays (or paid) it, and the payment date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_run_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_date: Option<jiff::civil::Date>,
    #[serde(rename = "GSI5PK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi5pk: Option<String>,
    #[serde(rename = "GSI5SK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi5sk: Option<String>,
}

impl ClaimRecord {
    /// Whose report totals this claim's moves change.
    pub(crate) fn counting(&self) -> Counting<'_> {
        Counting {
            id: self.id,
            provider: &self.provider,
            provider_name: &self.provider_name,
            commissioner: &self.commissioner,
        }
    }

    /// The list a claim in `status` would be on: a stage's work list while it
    /// waits for a person, the payable list once approved, else none.
    fn queue_for(&self, status: ClaimStatus) -> Option<String> {
        if status == ClaimStatus::Approved {
            return Some(keys::payable(&self.commissioner));
        }
        Stage::waiting_at(status).map(|stage| {
            let organisation = if stage.decided_by_provider() { &self.provider } else { &self.commissioner };
            keys::review_queue(stage, organisation)
        })
    }

    /// This claim moved to `status` at `now`: on the work list of that stage
    /// from now, or on none.
    pub(crate) fn placed(mut self, status: ClaimStatus, now: Timestamp) -> Self {
        self.gsi5pk = self.queue_for(status);
        self.gsi5sk = self.gsi5pk.as_ref().map(|_| keys::claim_order(now, self.id));
        self.waiting_since = self.gsi5pk.as_ref().map(|_| now);
        self.status = status;
        self
    }
}

/// A claim waiting for a decision, as the work list's index holds it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WaitingClaim {
    pub id: u64,
    pub provider: OdsCode,
    pub provider_name: String,
    pub status: ClaimStatus,
    pub version: u64,
    #[serde(default)]
    pub services: Vec<ClaimService>,
    #[serde(default)]
    pub total: Option<Money>,
    #[serde(default)]
    pub submitted_at: Option<Timestamp>,
    #[serde(default)]
    pub waiting_since: Option<Timestamp>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct LineRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub(crate) claim_id: u64,
    #[serde(flatten)]
    pub(crate) line: ClaimLine,
}

/// An evidence file on a claim's line.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub claim_id: u64,
    pub line_id: String,
    pub id: String,
    pub file_name: String,
    pub content_type: String,
    pub size: u64,
    /// Where the file is (or will be) in the evidence bucket.
    pub object_key: String,
    pub status: AttachmentStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal: Option<String>,
    pub created_at: Timestamp,
    pub created_by: String,
    /// The upload (S3 version) the checks last decided on: a redelivered
    /// event for it changes nothing; a replacement is checked afresh. A
    /// download serves this version and no other.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scanned_version: Option<String>,
    /// The upload (S3 version) being checked now, set when it is first seen
    /// (by the check, or by a submit that found it had arrived).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checking_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scanned_at: Option<Timestamp>,
    /// Where a refused upload was moved (no GetObject reaches it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quarantined_as: Option<String>,
}

/// What the checks decided about one upload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanOutcome {
    Clean,
    Refused { reason: String, quarantined_as: String },
}

impl FileRecord {
    pub fn evidence(&self) -> EvidenceFile {
        EvidenceFile { file_name: self.file_name.clone(), status: self.status, refusal: self.refusal.clone() }
    }

    /// The upload this file stands for: the one decided on, or the one being
    /// checked. Once its claim is submitted, no other upload may take its place.
    pub fn pinned_version(&self) -> Option<&str> {
        match self.status {
            AttachmentStatus::Clean | AttachmentStatus::Refused => self.scanned_version.as_deref(),
            AttachmentStatus::Scanning => self.checking_version.as_deref(),
            AttachmentStatus::AwaitingUpload => None,
        }
    }
}

/// A claim with all its lines and files, from one query.
#[derive(Debug, Clone)]
pub struct ClaimDocument {
    pub claim: ClaimRecord,
    pub lines: Vec<ClaimLine>,
    pub files: Vec<FileRecord>,
}

impl ClaimDocument {
    pub fn files_of<'a>(&'a self, line_id: &'a str) -> impl Iterator<Item = &'a FileRecord> + 'a {
        self.files.iter().filter(move |f| f.line_id == line_id)
    }

    pub fn line(&self, line_id: &str) -> Option<&ClaimLine> {
        self.lines.iter().find(|l| l.id == line_id)
    }

    /// Files whose upload has arrived (found in the bucket, by attachment id,
    /// with its version) are being checked, not missing: `scanning`, with that
    /// upload pinned, as a submit now writes them.
    pub fn with_arrivals(&mut self, arrived: &HashMap<String, String>) {
        for file in self.files.iter_mut().filter(|f| f.status == AttachmentStatus::AwaitingUpload) {
            if let Some(version) = arrived.get(&file.id) {
                file.status = AttachmentStatus::Scanning;
                file.checking_version = Some(version.clone());
            }
        }
    }

    /// After `Store::remove_lines`: the claim as it now stands, without reading it again.
    pub fn forget_lines(&mut self, line_ids: &[String]) {
        self.lines.retain(|l| !line_ids.contains(&l.id));
        self.files.retain(|f| !line_ids.contains(&f.line_id));
        self.claim.version += 1;
    }
}

/// A claim about to be started.
pub struct NewClaim<'a> {
    pub provider: &'a OdsCode,
    pub provider_name: &'a str,
    pub commissioner: &'a OdsCode,
    pub commissioner_name: &'a str,
    pub submission: ClaimSubmission,
    pub claims_any_time: bool,
    pub claimable: Vec<Claimable>,
    pub created_by: &'a str,
    /// The `Idempotency-Key` the request carried, if any.
    pub idempotency_key: Option<&'a str>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct IdempotencyRecord {
    #[serde(rename = "PK")]
    pk: String,
    #[serde(rename = "SK")]
    sk: String,
    claim_id: u64,
    ttl: i64,
}

/// What +New Claim did.
pub enum Started {
    New(Box<ClaimRecord>),
    /// The request was a retry: the id of the claim its key made.
    Before(u64),
}

/// What a list of claims is filtered by.
#[derive(Debug, Default, Clone)]
pub struct ClaimFilter {
    pub status: Option<ClaimStatus>,
    pub service: Option<String>,
    pub period: Option<String>,
    pub provider: Option<OdsCode>,
}

const CLAIM_MOVED_ON: &str = "Someone changed this claim at the same moment. Refresh it: nothing you entered was lost";

impl Store {
    /// The next claim id: increasing, unique across the system, never reused.
    pub async fn next_claim_id(&self) -> Result<u64, AppError> {
        Ok(*self.next_claim_ids(1).await?.end())
    }

    /// Writes a new draft; with an idempotency key already used, finds the
    /// claim that key made instead.
    pub async fn create_claim(&self, new: &NewClaim<'_>, id: u64, now: Timestamp) -> Result<Started, AppError> {
        let claim = ClaimRecord {
            pk: keys::claim(id),
            sk: keys::CLAIM.into(),
            id,
            provider: new.provider.clone(),
            provider_name: new.provider_name.to_string(),
            commissioner: new.commissioner.clone(),
            commissioner_name: new.commissioner_name.to_string(),
            submission: new.submission,
            claims_any_time: new.claims_any_time,
            status: ClaimStatus::Draft,
            version: 1,
            claimable: new.claimable.clone(),
            services: Vec::new(),
            service_ids: Vec::new(),
            periods: Vec::new(),
            history: vec![HistoryEntry {
                at: now,
                by: new.created_by.to_string(),
                action: "started".into(),
                from: None,
                to: ClaimStatus::Draft,
                reason: None,
                lines: Vec::new(),
            }],
            created_at: now,
            created_by: new.created_by.to_string(),
            submitted_at: None,
            submitted_by: None,
            updated_at: now,
            gsi1pk: keys::claims_of_provider(new.provider),
            gsi1sk: keys::claim_order(now, id),
            gsi4pk: None,
            gsi4sk: None,
            total: None,
            finance_threshold: None,
            waiting_since: None,
            counted: Counted::new(),
            payment_run_id: None,
            payment_date: None,
            gsi5pk: None,
            gsi5sk: None,
        };
        let audit = AuditEntry {
            actor: new.created_by,
            action: AuditAction::ClaimStarted,
            target: keys::claim(id),
            organisation: new.provider,
            before: None,
            after: Some(json!({"status": "draft"})),
        }
        .record(now);
        let mut items = Vec::new();
        if let Some(key) = new.idempotency_key {
            let marker = IdempotencyRecord {
                pk: keys::idempotency(new.provider, key),
                sk: keys::IDEMPOTENCY.into(),
                claim_id: id,
                ttl: now.as_second() + 24 * 3600,
            };
            items.push(self.put(&marker, true)?);
        }
        items.push(self.put(&claim, true)?);
        items.push(self.put(&audit, true)?);
        match self.transact(items).await {
            Ok(()) => Ok(Started::New(Box::new(claim))),
            Err(TransactFailure::ConditionFailed(failed)) if new.idempotency_key.is_some() && failed.contains(&0) => {
                let key = new.idempotency_key.unwrap_or_default();
                let marker: Option<IdempotencyRecord> =
                    self.get(keys::idempotency(new.provider, key), keys::IDEMPOTENCY).await?;
                marker
                    .map(|m| Started::Before(m.claim_id))
                    .ok_or_else(|| AppError::Internal("idempotency marker vanished".into()))
            }
            Err(failure) => Err(failure.into_conflict(ConflictKind::ClaimExists, "This claim already exists")),
        }
    }

    /// A claim with its lines and files, in one strongly consistent query.
    pub async fn claim(&self, id: u64) -> Result<Option<ClaimDocument>, AppError> {
        let query = self
            .client()
            .query()
            .table_name(self.table())
            .key_condition_expression("PK = :pk")
            .expression_attribute_values(":pk", s(keys::claim(id)))
            .consistent_read(true);
        let items = self.query_items(query, "reading the claim").await?;
        let mut claim = None;
        let mut lines = Vec::new();
        let mut files = Vec::new();
        for item in items {
            let sk = item.get(keys::SK).and_then(|v| v.as_s().ok()).cloned().unwrap_or_default();
            if sk == keys::CLAIM {
                claim = Some(Self::from_item::<ClaimRecord>(item)?);
            } else if sk.starts_with(keys::LINE_PREFIX) {
                lines.push(Self::from_item::<LineRecord>(item)?.line);
            } else if sk.starts_with(keys::FILE_PREFIX) {
                files.push(Self::from_item::<FileRecord>(item)?);
            }
        }
        Ok(claim.map(|claim| ClaimDocument { claim, lines, files }))
    }

    /// The claim's own update, conditional on the version the caller saw and on
    /// its still being editable; every change bumps the version.
    fn claim_update(&self, claim: &ClaimRecord, now: Timestamp) -> UpdateBuilder {
        Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(claim.pk.clone(), claim.sk.clone())))
            .condition_expression("version = :version")
            .expression_attribute_values(":version", n(claim.version))
            .expression_attribute_values(":next", n(claim.version + 1))
            .expression_attribute_values(":at", s(now.to_string()))
    }

    /// `set` (a SET clause) plus the claim's place on the work lists as
    /// `placed` has it: on one while it waits for a person, off them otherwise.
    fn with_queue(update: UpdateBuilder, set: &str, placed: &ClaimRecord) -> UpdateBuilder {
        match (&placed.gsi5pk, &placed.gsi5sk, placed.waiting_since) {
            (Some(queue), Some(order), Some(since)) => update
                .update_expression(format!("{set}, GSI5PK = :queue, GSI5SK = :queued, waitingSince = :waiting"))
                .expression_attribute_values(":queue", s(queue))
                .expression_attribute_values(":queued", s(order))
                .expression_attribute_values(":waiting", s(since.to_string())),
            _ => update.update_expression(format!("{set} REMOVE GSI5PK, GSI5SK, waitingSince")),
        }
    }

    fn line_put(&self, claim_id: u64, line: &ClaimLine, only_if_new: bool) -> Result<TransactWriteItem, AppError> {
        let record =
            LineRecord { pk: keys::claim(claim_id), sk: keys::claim_line(&line.id), claim_id, line: line.clone() };
        self.put(&record, only_if_new)
    }

    /// Takes services into the claim and adds lines (new components only).
    pub async fn add_to_claim(
        &self,
        claim: &ClaimRecord,
        services: &[ClaimService],
        lines: &[ClaimLine],
        now: Timestamp,
    ) -> Result<(), AppError> {
        let ids: Vec<&str> = services.iter().map(|s| s.service_id.as_str()).collect();
        let periods: Vec<&str> = services.iter().map(|s| s.period.as_str()).collect();
        let mut items = vec![Self::built(
            self.claim_update(claim, now)
                .update_expression(
                    "SET services = :services, serviceIds = :ids, periods = :periods, version = :next, updatedAt = :at",
                )
                .expression_attribute_values(":services", Self::to_attribute(&services)?)
                .expression_attribute_values(":ids", Self::to_attribute(&ids)?)
                .expression_attribute_values(":periods", Self::to_attribute(&periods)?),
        )?];
        for line in lines {
            items.push(self.line_put(claim.id, line, true)?);
        }
        self.transact(items).await.map_err(|f| f.into_conflict(ConflictKind::ClaimChanged, CLAIM_MOVED_ON))
    }

    /// Saves one edited line.
    pub async fn save_line(&self, claim: &ClaimRecord, line: &ClaimLine, now: Timestamp) -> Result<(), AppError> {
        let items = vec![
            Self::built(self.claim_update(claim, now).update_expression("SET version = :next, updatedAt = :at"))?,
            self.line_put(claim.id, line, false)?,
        ];
        self.transact(items).await.map_err(|f| f.into_conflict(ConflictKind::ClaimChanged, CLAIM_MOVED_ON))
    }

    /// Removes lines (and their files) from a claim; the services stay.
    pub async fn remove_lines(
        &self,
        document: &ClaimDocument,
        line_ids: &[String],
        now: Timestamp,
    ) -> Result<(), AppError> {
        let claim = &document.claim;
        let mut items =
            vec![Self::built(self.claim_update(claim, now).update_expression("SET version = :next, updatedAt = :at"))?];
        for id in line_ids {
            items.push(self.delete_item(claim.pk.clone(), keys::claim_line(id))?);
            for file in document.files_of(id) {
                items.push(self.delete_item(file.pk.clone(), file.sk.clone())?);
            }
        }
        self.transact_in_order(items).await
    }

    /// Deletes a draft as if it had never been started (the audit entry stays;
    /// the id is never given again).
    pub async fn delete_claim(&self, document: &ClaimDocument, actor: &str, now: Timestamp) -> Result<(), AppError> {
        let claim = &document.claim;
        let delete = Delete::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(claim.pk.clone(), claim.sk.clone())))
            .condition_expression("version = :version AND #status = :draft")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":version", n(claim.version))
            .expression_attribute_values(":draft", s(ClaimStatus::Draft.code()))
            .build()
            .map_err(|e| AppError::Internal(format!("building delete: {e}")))?;
        let audit = AuditEntry {
            actor,
            action: AuditAction::ClaimDeleted,
            target: keys::claim(claim.id),
            organisation: &claim.provider,
            before: Some(json!({"status": "draft", "lines": document.lines.len()})),
            after: None,
        }
        .record(now);
        let mut items = vec![TransactWriteItem::builder().delete(delete).build(), self.put(&audit, true)?];
        for line in &document.lines {
            items.push(self.delete_item(claim.pk.clone(), keys::claim_line(&line.id))?);
        }
        for file in &document.files {
            items.push(self.delete_item(file.pk.clone(), file.sk.clone())?);
        }
        self.transact_in_order(items).await
    }

    /// The claim's own change first (its condition guards the rest); what does
    /// not fit one transaction follows in further ones.
    async fn transact_in_order(&self, mut items: Vec<TransactWriteItem>) -> Result<(), AppError> {
        let rest = if items.len() > 100 { items.split_off(100) } else { Vec::new() };
        self.transact(items).await.map_err(|f| f.into_conflict(ConflictKind::ClaimChanged, CLAIM_MOVED_ON))?;
        for chunk in rest.chunks(100) {
            self.transact(chunk.to_vec())
                .await
                .map_err(|f| f.into_conflict(ConflictKind::ClaimChanged, CLAIM_MOVED_ON))?;
        }
        Ok(())
    }

    /// Submits: the new status and history, the claim markers (a second claim
    /// for the same service and period is refused) and the audit entry, at once.
    /// Files being checked must still be (`arrived`: those whose upload the
    /// submit found, now written as being checked).
    pub async fn submit_claim(
        &self,
        document: &ClaimDocument,
        arrived: &HashMap<String, String>,
        next: ClaimStatus,
        finance_threshold: Money,
        actor: &str,
        now: Timestamp,
    ) -> Result<ClaimRecord, SubmitFailure> {
        let claim = &document.claim;
        let entry = HistoryEntry {
            at: now,
            by: actor.to_string(),
            action: if claim.status == ClaimStatus::Returned { "resubmitted" } else { "submitted" }.into(),
            from: Some(claim.status),
            to: next,
            reason: None,
            lines: Vec::new(),
        };
        let mut history = claim.history.clone();
        history.push(entry);
        let on_list = keys::claim_order(now, claim.id);
        let value = crate::domain::claim_line::total(&document.lines);
        let submitted = ClaimRecord {
            history,
            submitted_at: Some(now),
            submitted_by: Some(actor.to_string()),
            version: claim.version + 1,
            updated_at: now,
            gsi4pk: Some(keys::claims_of_commissioner(&claim.commissioner)),
            gsi4sk: Some(on_list.clone()),
            total: Some(value),
            finance_threshold: Some(finance_threshold),
            counted: contribution(&document.lines),
            ..claim.clone()
        }
        .placed(next, now);
        let update = Self::with_queue(
            self.claim_update(claim, now),
            "SET #status = :to, history = :history, submittedAt = :at, submittedBy = :actor, \
             version = :next, updatedAt = :at, GSI4PK = :list, GSI4SK = :order, #total = :total, \
             financeThreshold = :threshold, counted = :counted",
            &submitted,
        )
        .expression_attribute_values(":counted", Self::to_attribute(&submitted.counted).map_err(SubmitFailure::Other)?)
        .condition_expression("version = :version AND #status = :from")
        .expression_attribute_names("#total", "total")
        .expression_attribute_values(":total", Self::to_attribute(&value).map_err(SubmitFailure::Other)?)
        .expression_attribute_values(
            ":threshold",
            Self::to_attribute(&finance_threshold).map_err(SubmitFailure::Other)?,
        )
        .expression_attribute_names("#status", "status")
        .expression_attribute_values(":to", s(next.code()))
        .expression_attribute_values(":from", s(claim.status.code()))
        .expression_attribute_values(":history", Self::to_attribute(&submitted.history).map_err(SubmitFailure::Other)?)
        .expression_attribute_values(":actor", s(actor))
        .expression_attribute_values(":list", s(keys::claims_of_commissioner(&claim.commissioner)))
        .expression_attribute_values(":order", s(&on_list));
        let mut items = vec![Self::built(update).map_err(SubmitFailure::Other)?];
        let first_submission = claim.status == ClaimStatus::Draft;
        if first_submission {
            for service in &claim.services {
                let marker =
                    ClaimMarker::new(&claim.provider, &service.service_id, &service.period, &claim.id.to_string());
                items.push(self.claim_marker_step(&marker).map_err(SubmitFailure::Other)?);
            }
        }
        let audit = AuditEntry {
            actor,
            action: AuditAction::ClaimSubmitted,
            target: keys::claim(claim.id),
            organisation: &claim.provider,
            before: Some(json!({"status": claim.status})),
            after: Some(json!({"status": next, "total": value})),
        }
        .record(now);
        items.push(self.put(&audit, true).map_err(SubmitFailure::Other)?);
        let totals = self
            .total_steps(&claim.counting(), Some(claim.status), &claim.counted, next, &submitted.counted)
            .map_err(SubmitFailure::Other)?;
        items.extend(totals);
        // A file still being checked must still be so as the claim goes to
        // System Review: a check that finishes first fails the submission (to
        // be read again and tried), one that finishes after moves the claim on.
        let first_check = items.len();
        for file in document.files.iter().filter(|f| f.status == AttachmentStatus::Scanning) {
            let step = match arrived.get(&file.id) {
                Some(version) => self.submitted_while_arriving(file, version),
                None => self.still_scanning(file),
            };
            items.push(step.map_err(SubmitFailure::Other)?);
        }
        let checks = first_check..items.len();
        let markers = 1..1 + if first_submission { claim.services.len() } else { 0 };
        match self.transact(items).await {
            Ok(()) => Ok(submitted),
            Err(TransactFailure::ConditionFailed(failed)) => match why_submit_failed(&failed, markers, checks) {
                SubmitCause::AlreadyClaimed(service) => {
                    Err(SubmitFailure::AlreadyClaimed(claim.services[service].clone()))
                }
                SubmitCause::EvidenceChecked => Err(SubmitFailure::EvidenceChecked),
                SubmitCause::ClaimMoved => Err(SubmitFailure::Other(AppError::conflict(
                    ConflictKind::ClaimChanged,
                    "This claim changed or was submitted at the same moment. Refresh it to see where it is",
                ))),
            },
            Err(failure) => {
                Err(SubmitFailure::Other(failure.into_conflict(ConflictKind::ClaimChanged, CLAIM_MOVED_ON)))
            }
        }
    }

    /// A transaction step that holds only while the file is still being checked.
    fn still_scanning(&self, file: &FileRecord) -> Result<TransactWriteItem, AppError> {
        let check = ConditionCheck::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(file.pk.clone(), file.sk.clone())))
            .condition_expression("#status = :scanning")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":scanning", Self::to_attribute(&AttachmentStatus::Scanning)?)
            .build()
            .map_err(|e| AppError::Internal(format!("building condition check: {e}")))?;
        Ok(TransactWriteItem::builder().condition_check(check).build())
    }

    /// A transaction step for a file whose upload the submit found before its
    /// check began: it is being checked from now, with that upload pinned.
    fn submitted_while_arriving(&self, file: &FileRecord, version: &str) -> Result<TransactWriteItem, AppError> {
        let update = Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(file.pk.clone(), file.sk.clone())))
            .update_expression("SET #status = :scanning, checkingVersion = :version")
            .condition_expression("#status = :awaiting")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":scanning", Self::to_attribute(&AttachmentStatus::Scanning)?)
            .expression_attribute_values(":awaiting", Self::to_attribute(&AttachmentStatus::AwaitingUpload)?)
            .expression_attribute_values(":version", s(version))
            .build()
            .map_err(|e| AppError::Internal(format!("building a file's update: {e}")))?;
        Ok(TransactWriteItem::builder().update(update).build())
    }

    /// Records a file about to be uploaded to a line (awaiting its upload).
    pub async fn add_file(
        &self,
        claim: &ClaimRecord,
        line_id: &str,
        upload: &crate::domain::claim_line::EvidenceUpload,
        actor: &str,
        now: Timestamp,
    ) -> Result<FileRecord, AppError> {
        let id = uuid::Uuid::now_v7().to_string();
        let file = FileRecord {
            pk: keys::claim(claim.id),
            sk: keys::claim_file(line_id, &id),
            claim_id: claim.id,
            line_id: line_id.to_string(),
            object_key: crate::files::object_key(claim.id, line_id, &id),
            id,
            file_name: upload.file_name.trim().to_string(),
            content_type: upload.content_type.trim().to_ascii_lowercase(),
            size: upload.size,
            status: AttachmentStatus::AwaitingUpload,
            refusal: None,
            created_at: now,
            created_by: actor.to_string(),
            scanned_version: None,
            checking_version: None,
            scanned_at: None,
            quarantined_as: None,
        };
        let items = vec![
            Self::built(self.claim_update(claim, now).update_expression("SET version = :next, updatedAt = :at"))?,
            self.put(&file, true)?,
        ];
        self.transact(items).await.map_err(|f| f.into_conflict(ConflictKind::ClaimChanged, CLAIM_MOVED_ON))?;
        Ok(file)
    }

    /// One evidence file.
    pub async fn file(
        &self,
        claim_id: u64,
        line_id: &str,
        attachment_id: &str,
    ) -> Result<Option<FileRecord>, AppError> {
        self.get(keys::claim(claim_id), keys::claim_file(line_id, attachment_id)).await
    }

    /// An upload (S3 version) starts being checked: the file is `scanning`
    /// — not downloadable, and a claim submitted now waits in Pending System
    /// Review — until its decision is recorded. False if the file is gone or
    /// this upload was decided on already (a redelivered event).
    pub async fn begin_check(&self, file: &FileRecord, version: &str) -> Result<bool, AppError> {
        let update = self
            .client()
            .update_item()
            .table_name(self.table())
            .set_key(Some(Self::key(file.pk.clone(), file.sk.clone())))
            .update_expression("SET #status = :scanning, checkingVersion = :version")
            .condition_expression(
                "attribute_exists(PK) AND (attribute_not_exists(scannedVersion) OR scannedVersion <> :version)",
            )
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":scanning", Self::to_attribute(&AttachmentStatus::Scanning)?)
            .expression_attribute_values(":version", s(version));
        applied(update.send().await, "recording an upload")
    }

    /// Records the checks' decision on the upload being checked (its S3
    /// version), once: a redelivered event for the same version, a check
    /// overtaken by a newer upload, or a file deleted meanwhile, changes
    /// nothing (false).
    pub async fn record_scan(
        &self,
        file: &FileRecord,
        version: &str,
        outcome: &ScanOutcome,
        now: Timestamp,
    ) -> Result<bool, AppError> {
        let update = self
            .client()
            .update_item()
            .table_name(self.table())
            .set_key(Some(Self::key(file.pk.clone(), file.sk.clone())))
            .condition_expression(
                "attribute_exists(PK) AND checkingVersion = :version \
                 AND (attribute_not_exists(scannedVersion) OR scannedVersion <> :version)",
            )
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":version", s(version))
            .expression_attribute_values(":at", s(now.to_string()));
        let update = match outcome {
            ScanOutcome::Clean => update
                .update_expression(
                    "SET #status = :status, scannedVersion = :version, scannedAt = :at REMOVE refusal, quarantinedAs",
                )
                .expression_attribute_values(":status", Self::to_attribute(&AttachmentStatus::Clean)?),
            ScanOutcome::Refused { reason, quarantined_as } => update
                .update_expression(
                    "SET #status = :status, scannedVersion = :version, scannedAt = :at, refusal = :refusal, \
                     quarantinedAs = :quarantine",
                )
                .expression_attribute_values(":status", Self::to_attribute(&AttachmentStatus::Refused)?)
                .expression_attribute_values(":refusal", s(reason))
                .expression_attribute_values(":quarantine", s(quarantined_as)),
        };
        applied(update.send().await, "recording a scan")
    }

    /// The account of whoever submitted the claim (None before submission, or
    /// if that account is gone): the one its emails go to.
    pub async fn submitter_of(
        &self,
        claim: &ClaimRecord,
    ) -> Result<Option<crate::store::records::AccountRecord>, AppError> {
        let Some(submitter) = claim.submitted_by.as_deref() else { return Ok(None) };
        Ok(self.accounts(&[submitter.to_string()]).await?.remove(submitter))
    }

    /// Moves a claim on from the status and version it was read at, with its
    /// history entry and audit entry, in one transaction. None if it had
    /// already moved on (another scan, reviewer or retry got there first).
    pub async fn move_claim(
        &self,
        claim: &ClaimRecord,
        entry: HistoryEntry,
        audit_action: AuditAction,
        acting_for: &OdsCode,
        now: Timestamp,
    ) -> Result<Option<ClaimRecord>, AppError> {
        let mut history = claim.history.clone();
        history.push(entry.clone());
        let moved =
            ClaimRecord { history, version: claim.version + 1, updated_at: now, ..claim.clone() }.placed(entry.to, now);
        let update = Self::with_queue(
            self.claim_update(claim, now),
            "SET #status = :to, history = :history, version = :next, updatedAt = :at",
            &moved,
        )
        .condition_expression("version = :version AND #status = :from")
        .expression_attribute_names("#status", "status")
        .expression_attribute_values(":to", s(entry.to.code()))
        .expression_attribute_values(":from", s(claim.status.code()))
        .expression_attribute_values(":history", Self::to_attribute(&moved.history)?);
        let audit = AuditEntry {
            actor: &entry.by,
            action: audit_action,
            target: keys::claim(claim.id),
            organisation: &claim.provider,
            before: Some(json!({"status": claim.status})),
            after: Some(json!({"status": entry.to, "reason": entry.reason})),
        }
        .record(now);
        let mut items = vec![Self::built(update)?, self.put(&audit, true)?];
        if let Some(theirs) = audit.also_filed_under(acting_for) {
            items.push(self.put(&theirs, true)?);
        }
        items.extend(self.total_steps(
            &claim.counting(),
            Some(claim.status),
            &claim.counted,
            entry.to,
            &claim.counted,
        )?);
        match self.transact(items).await {
            Ok(()) => Ok(Some(moved)),
            Err(TransactFailure::ConditionFailed(_)) => Ok(None),
            // Nobody may have moved it: the caller retries rather than leave it waiting.
            Err(TransactFailure::Contended) => Err(AppError::Dependency("the claim was busy; try again".into())),
            Err(TransactFailure::Other(error)) => Err(error),
        }
    }

    /// Audits a download of an evidence file, in the trail of the organisation
    /// the person downloaded it for; written before the address is given.
    pub async fn record_download(
        &self,
        file: &FileRecord,
        actor: &str,
        organisation: &OdsCode,
        now: Timestamp,
    ) -> Result<(), AppError> {
        let audit = AuditEntry {
            actor,
            action: AuditAction::EvidenceDownloaded,
            target: keys::claim(file.claim_id),
            organisation,
            before: None,
            after: Some(json!({"lineId": file.line_id, "attachmentId": file.id, "fileName": file.file_name})),
        }
        .record(now);
        self.record_alone(&audit, "recording the download").await
    }

    /// Audits an upload removed because it arrived after the claim was
    /// submitted: the claim keeps the file it was submitted with.
    pub async fn record_replacement_removed(
        &self,
        claim: &ClaimRecord,
        file: &FileRecord,
        version: &str,
        now: Timestamp,
    ) -> Result<(), AppError> {
        let audit = AuditEntry {
            actor: crate::domain::claim::SYSTEM,
            action: AuditAction::EvidenceReplacementRemoved,
            target: keys::claim(file.claim_id),
            organisation: &claim.provider,
            before: None,
            after: Some(json!({"lineId": file.line_id, "attachmentId": file.id, "fileName": file.file_name,
                               "kept": file.pinned_version(), "removed": version})),
        }
        .record(now);
        self.record_alone(&audit, "recording a removed upload").await
    }

    /// Removes one file from a line.
    pub async fn remove_file(&self, claim: &ClaimRecord, file: &FileRecord, now: Timestamp) -> Result<(), AppError> {
        let items = vec![
            Self::built(self.claim_update(claim, now).update_expression("SET version = :next, updatedAt = :at"))?,
            self.delete_item(file.pk.clone(), file.sk.clone())?,
        ];
        self.transact(items).await.map_err(|f| f.into_conflict(ConflictKind::ClaimChanged, CLAIM_MOVED_ON))
    }

    /// One page of a provider's claims, newest first.
    pub async fn claims_of_provider(
        &self,
        provider: &OdsCode,
        filter: &ClaimFilter,
        limit: i32,
        cursor_text: Option<&str>,
    ) -> Result<Page<ClaimRecord>, AppError> {
        let list = ClaimList {
            listing: "provider-claims",
            oldest_first: false,
            index: keys::GSI1,
            partition_key: keys::GSI1PK,
            sort_key: keys::GSI1SK,
            partition: keys::claims_of_provider(provider),
        };
        self.claim_page(&list, filter, limit, cursor_text).await
    }

    /// One page of a commissioner's submitted claims (never drafts), newest first.
    pub async fn claims_of_commissioner(
        &self,
        commissioner: &OdsCode,
        filter: &ClaimFilter,
        limit: i32,
        cursor_text: Option<&str>,
    ) -> Result<Page<ClaimRecord>, AppError> {
        let list = ClaimList {
            listing: "commissioner-claims",
            oldest_first: false,
            index: keys::GSI4,
            partition_key: keys::GSI4PK,
            sort_key: keys::GSI4SK,
            partition: keys::claims_of_commissioner(commissioner),
        };
        self.claim_page(&list, filter, limit, cursor_text).await
    }

    /// One page of the claims waiting for a decision at `stage` for
    /// `organisation` (its commissioner; the practice, for its own approval),
    /// oldest first, from the sparse work-list index.
    pub async fn claims_waiting(
        &self,
        stage: Stage,
        organisation: &OdsCode,
        filter: &ClaimFilter,
        limit: i32,
        cursor_text: Option<&str>,
    ) -> Result<Page<WaitingClaim>, AppError> {
        let list = ClaimList {
            listing: "review-queue",
            oldest_first: true,
            index: keys::GSI5,
            partition_key: keys::GSI5PK,
            sort_key: keys::GSI5SK,
            partition: keys::review_queue(stage, organisation),
        };
        self.claim_page(&list, filter, limit, cursor_text).await
    }

    /// A page of claims, filtered as asked (`Store::list_page`).
    async fn claim_page<T: serde::de::DeserializeOwned>(
        &self,
        list: &ClaimList<'_>,
        filter: &ClaimFilter,
        limit: i32,
        cursor_text: Option<&str>,
    ) -> Result<Page<T>, AppError> {
        let key_names = [keys::PK, keys::SK, list.partition_key, list.sort_key];
        let start = cursor_text
            .map(|c| {
                cursor::decode(self.cursor_key(), c, list.listing, &key_names, (list.partition_key, &list.partition))
            })
            .transpose()?;
        let mut conditions = Vec::new();
        let mut values: Vec<(&str, AttributeValue)> = Vec::new();
        if let Some(status) = filter.status {
            conditions.push("#status = :status");
            values.push((":status", s(status.code())));
        }
        if let Some(service) = &filter.service {
            conditions.push("contains(serviceIds, :service)");
            values.push((":service", s(service)));
        }
        if let Some(period) = &filter.period {
            conditions.push("contains(periods, :period)");
            values.push((":period", s(period)));
        }
        if let Some(provider) = &filter.provider {
            conditions.push("#provider = :provider");
            values.push((":provider", s(provider.as_str())));
        }
        let mut query = self
            .client()
            .query()
            .table_name(self.table())
            .index_name(list.index)
            .key_condition_expression("#pk = :pk")
            .expression_attribute_names("#pk", list.partition_key)
            .expression_attribute_values(":pk", s(&list.partition))
            .scan_index_forward(list.oldest_first);
        if !conditions.is_empty() {
            query = query.filter_expression(conditions.join(" AND "));
            if filter.status.is_some() {
                query = query.expression_attribute_names("#status", "status");
            }
            if filter.provider.is_some() {
                query = query.expression_attribute_names("#provider", "provider");
            }
            for (name, value) in &values {
                query = query.expression_attribute_values(*name, value.clone());
            }
        }
        let (found, next) = self.list_page(&query, &key_names, start, limit, "reading a list of claims").await?;
        let next_cursor =
            next.as_ref().and_then(|key| cursor::encode(self.cursor_key(), list.listing, &list.partition, key));
        let items = found.into_iter().map(Self::from_item).collect::<Result<Vec<_>, _>>()?;
        Ok(Page { items, next_cursor })
    }
}

struct ClaimList<'a> {
    listing: &'a str,
    oldest_first: bool,
    index: &'a str,
    partition_key: &'a str,
    sort_key: &'a str,
    partition: String,
}

/// Which of a submit transaction's conditions failed, from their positions.
#[derive(Debug, PartialEq, Eq)]
enum SubmitCause {
    /// The claim itself moved on (its status or version): refresh it.
    ClaimMoved,
    /// Another claim took this service (its index in the claim) and period.
    AlreadyClaimed(usize),
    /// A file's check finished as the claim was submitted: read it again.
    EvidenceChecked,
}

/// The claim's own update is at position 0, then its claim markers, and the
/// files still being checked last. A moved claim explains everything else; a
/// claim marker taken is final, so it is said before a finished check (which
/// would only be tried again to meet the same marker).
fn why_submit_failed(failed: &[usize], markers: std::ops::Range<usize>, checks: std::ops::Range<usize>) -> SubmitCause {
    if failed.contains(&0) {
        return SubmitCause::ClaimMoved;
    }
    if let Some(i) = failed.iter().find(|i| markers.contains(i)) {
        return SubmitCause::AlreadyClaimed(i - markers.start);
    }
    if failed.iter().any(|i| checks.contains(i)) {
        return SubmitCause::EvidenceChecked;
    }
    SubmitCause::ClaimMoved
}

/// Why a submission did not go through.
#[derive(Debug)]
pub enum SubmitFailure {
    /// Another claim for this service and period was submitted first.
    AlreadyClaimed(ClaimService),
    /// A file's check finished as the claim was submitted: read it again.
    EvidenceChecked,
    Other(AppError),
}

impl From<AppError> for SubmitFailure {
    fn from(error: AppError) -> Self {
        SubmitFailure::Other(error)
    }
}

#[cfg(test)]
mod submit_tests {
    use super::{why_submit_failed, SubmitCause};

    #[test]
    fn a_failed_submission_is_told_by_which_condition_failed() {
        // Claim at 0, two claim markers at 1 and 2, audit and totals at 3..6, files being checked at 6 and 7.
        let (markers, checks) = (1..3, 6..8);
        assert_eq!(why_submit_failed(&[0], markers.clone(), checks.clone()), SubmitCause::ClaimMoved);
        assert_eq!(why_submit_failed(&[0, 2, 7], markers.clone(), checks.clone()), SubmitCause::ClaimMoved);
        assert_eq!(why_submit_failed(&[2], markers.clone(), checks.clone()), SubmitCause::AlreadyClaimed(1));
        assert_eq!(why_submit_failed(&[1, 6], markers.clone(), checks.clone()), SubmitCause::AlreadyClaimed(0));
        assert_eq!(why_submit_failed(&[7], markers.clone(), checks.clone()), SubmitCause::EvidenceChecked);
        assert_eq!(why_submit_failed(&[4], markers, checks), SubmitCause::ClaimMoved);
        // A resubmission writes no markers: the first check follows the audit and totals.
        assert_eq!(why_submit_failed(&[1], 1..1, 4..5), SubmitCause::ClaimMoved);
        assert_eq!(why_submit_failed(&[4], 1..1, 4..5), SubmitCause::EvidenceChecked);
    }
}
