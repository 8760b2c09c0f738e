//! Claims: one partition per claim (`CLAIM#<id>`) holding the claim, its lines
//! (one per component) and their evidence files, so a claim with every line
//! reads in one query. Ids come from an atomic counter and are never reused.
//! Every change is conditional on the claim's version and written with its
//! audit entry; submitting writes the claim markers (one claim per service and
//! period) in the same transaction.

mod evidence;
mod lines;
mod transitions;

pub use evidence::{FileRecord, ScanOutcome};
pub use transitions::{decide_request, submit_request, SubmitFailure};

use super::audit::AuditEntry;
use super::requests::{KeyUse, Keyed, Sender};
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
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

/// What +New Claim did.
pub enum Started {
    New(Box<ClaimRecord>),
    /// The request was a retry: the id of the claim its key made.
    Before(u64),
    /// The key was sent before with a claim for another practice: not a retry.
    KeyReused,
}

/// The words a +New Claim's `Idempotency-Key` is remembered with.
fn new_claim_request(provider: &OdsCode) -> String {
    format!("start a claim for {provider}")
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
        let sender = Sender { user_id: new.created_by, key: new.idempotency_key };
        let request = new_claim_request(new.provider);
        let made = id.to_string();
        let mut items: Vec<_> = self.request_marker(sender, &request, Some(&made), now)?.into_iter().collect();
        items.push(self.put(&claim, true)?);
        items.push(self.put(&audit, true)?);
        match self.transact(items).await {
            Ok(()) => Ok(Started::New(Box::new(claim))),
            Err(TransactFailure::ConditionFailed(failed)) if new.idempotency_key.is_some() && failed.contains(&0) => {
                Ok(match self.key_use(sender, &request).await? {
                    KeyUse::ThisRequest { made: Some(before) } => before
                        .parse()
                        .map(Started::Before)
                        .map_err(|_| AppError::Internal(format!("unreadable claim id {before} on a key")))?,
                    KeyUse::New => return Err(AppError::Internal("idempotency marker vanished".into())),
                    _ => Started::KeyReused,
                })
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

    /// The account of whoever submitted the claim (None before submission, or
    /// if that account is gone): the one its emails go to.
    pub async fn submitter_of(
        &self, claim: &ClaimRecord,
    ) -> Result<Option<crate::store::records::AccountRecord>, AppError> {
        let Some(submitter) = claim.submitted_by.as_deref() else { return Ok(None) };
        Ok(self.accounts(&[submitter.to_string()]).await?.remove(submitter))
    }

    /// One page of a provider's claims, newest first.
    pub async fn claims_of_provider(
        &self, provider: &OdsCode, filter: &ClaimFilter, limit: i32, cursor_text: Option<&str>,
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
        &self, commissioner: &OdsCode, filter: &ClaimFilter, limit: i32, cursor_text: Option<&str>,
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
        &self, stage: Stage, organisation: &OdsCode, filter: &ClaimFilter, limit: i32, cursor_text: Option<&str>,
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
        &self, list: &ClaimList<'_>, filter: &ClaimFilter, limit: i32, cursor_text: Option<&str>,
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
