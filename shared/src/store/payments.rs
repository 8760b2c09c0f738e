//! Payment runs. A run (`RUN#<id>`, `RUN`) and one item per claim in it
//! (`RUN#<id>`, `CLAIM#<practice>#<claim id>`) holding what the ledger and the
//! remittance need. Approved claims not yet in a run wait on the sparse
//! `PAYABLE#<commissioner>` list (GSI5); a claim joins a run in one
//! transaction, conditional on its not being in one, so two runs started at
//! once never share a claim. A run's claims not yet paid wait on
//! `UNPAID#<run>` (GSI5); each is paid in one transaction with its claim, so a
//! confirmation interrupted halfway is resumed without paying anyone twice.

use super::audit::AuditEntry;
use super::claims::ClaimDocument;
use super::requests::Sender;
use super::totals::Counting;
use super::{cursor, keys, n, s, IndexList, Page, Store, TransactFailure};
use crate::domain::audit_action::AuditAction;
use crate::domain::claim::{ClaimStatus, HistoryEntry};
use crate::domain::claim_line::total;
use crate::domain::money::Money;
use crate::domain::ods::OdsCode;
use crate::domain::payment_run::{add_to_totals, NewRun, ProviderTotal, RunLine, RunStatus};
use crate::domain::report::{contribution, Counted};
use crate::domain::timestamp::Timestamp;
use crate::error::ConflictKind;
use crate::error::{dependency, AppError};
use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::json;

/// The history action of a claim paid by a run.
pub const PAID: &str = "paid";

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaymentRunRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub id: String,
    pub commissioner: OdsCode,
    pub commissioner_name: String,
    pub payment_date: Date,
    pub status: RunStatus,
    #[serde(default)]
    pub claims: u64,
    #[serde(default)]
    pub lines: u64,
    #[serde(default = "zero")]
    pub total: Money,
    #[serde(default)]
    pub providers: Vec<ProviderTotal>,
    pub created_at: Timestamp,
    pub created_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirmed_by: Option<String>,
    pub version: u64,
    #[serde(rename = "GSI1PK")]
    pub(crate) gsi1pk: String,
    #[serde(rename = "GSI1SK")]
    pub(crate) gsi1sk: String,
}

fn zero() -> Money {
    Money::ZERO
}

/// A claim in a run: what it pays, line by line.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunClaimRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub run_id: String,
    /// The claim's id.
    pub id: u64,
    pub provider: OdsCode,
    pub provider_name: String,
    pub commissioner: OdsCode,
    pub total: Money,
    /// What the claim counts in the report totals, to move them when it is paid.
    #[serde(default)]
    pub counted: Counted,
    pub lines: Vec<RunLine>,
    #[serde(default)]
    pub services: Vec<super::claims::ClaimService>,
    #[serde(default)]
    pub paid: bool,
    #[serde(rename = "GSI5PK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi5pk: Option<String>,
    #[serde(rename = "GSI5SK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi5sk: Option<String>,
}

/// A claim of a run not yet paid, as the unpaid list holds it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnpaidClaim {
    #[serde(rename = "PK")]
    pk: String,
    #[serde(rename = "SK")]
    sk: String,
    pub id: u64,
    pub provider: OdsCode,
    pub provider_name: String,
    pub commissioner: OdsCode,
    #[serde(default)]
    pub counted: Counted,
}

/// Ids of claims on a waiting list.
#[derive(Debug, Clone, Deserialize)]
struct ListedClaim {
    id: u64,
}

impl Store {
    /// Starts a run: collecting. With a key, remembers that this request
    /// made it (`run_request`).
    pub async fn create_run(
        &self, new: &NewRun, commissioner_name: &str, sender: Sender<'_>, now: Timestamp,
    ) -> Result<PaymentRunRecord, AppError> {
        let actor = sender.user_id;
        let id = uuid::Uuid::now_v7().to_string();
        let run = PaymentRunRecord {
            pk: keys::payment_run(&id),
            sk: keys::RUN.into(),
            id: id.clone(),
            commissioner: new.commissioner.clone(),
            commissioner_name: commissioner_name.to_string(),
            payment_date: new.payment_date,
            status: RunStatus::Collecting,
            claims: 0,
            lines: 0,
            total: Money::ZERO,
            providers: Vec::new(),
            created_at: now,
            created_by: actor.to_string(),
            confirmed_at: None,
            confirmed_by: None,
            version: 1,
            gsi1pk: keys::payment_runs_of(&new.commissioner),
            gsi1sk: format!("{now}#{id}"),
        };
        let audit = AuditEntry {
            actor,
            action: AuditAction::PaymentRunStarted,
            target: keys::payment_run(&id),
            organisation: &new.commissioner,
            before: None,
            after: Some(json!({"paymentDate": new.payment_date})),
        }
        .record(now);
        let mut items = vec![self.put(&run, true)?, self.put(&audit, true)?];
        items.extend(self.request_marker(sender, &run_request(new), Some(&id), now)?);
        self.transact(items)
            .await
            .map_err(|f| f.into_conflict(ConflictKind::RunExists, "This payment run already exists"))?;
        Ok(run)
    }

    pub async fn payment_run(&self, id: &str) -> Result<Option<PaymentRunRecord>, AppError> {
        self.get(keys::payment_run(id), keys::RUN).await
    }

    /// A commissioner's runs, newest first.
    pub async fn payment_runs_of(
        &self, commissioner: &OdsCode, limit: i32, cursor_text: Option<&str>,
    ) -> Result<Page<PaymentRunRecord>, AppError> {
        let partition = keys::payment_runs_of(commissioner);
        let list = IndexList {
            listing: "payment-runs",
            index: keys::GSI1,
            sort_key: keys::GSI1SK,
            partition: &partition,
            prefix: None,
            ascending: false,
        };
        self.index_page(&list, limit, cursor_text).await
    }

    /// Up to `limit` ids of a commissioner's approved claims not yet in a run, oldest first.
    pub async fn payable_claims(&self, commissioner: &OdsCode, limit: i32) -> Result<Vec<u64>, AppError> {
        let listed: Vec<ListedClaim> = self.first_on_list(keys::payable(commissioner), limit).await?;
        Ok(listed.into_iter().map(|c| c.id).collect())
    }

    /// The first `limit` items of a waiting list (GSI5), in order.
    async fn first_on_list<T: serde::de::DeserializeOwned>(
        &self, partition: String, limit: i32,
    ) -> Result<Vec<T>, AppError> {
        let output = self
            .client()
            .query()
            .table_name(self.table())
            .index_name(keys::GSI5)
            .key_condition_expression("GSI5PK = :pk")
            .expression_attribute_values(":pk", s(partition))
            .limit(limit)
            .send()
            .await
            .map_err(dependency("reading a waiting list"))?;
        output.items.unwrap_or_default().into_iter().map(Self::from_item).collect()
    }

    /// Puts an approved claim into a run, once: false if it is no longer
    /// approved or another run has it.
    pub async fn add_to_run(&self, run: &PaymentRunRecord, document: &ClaimDocument) -> Result<bool, AppError> {
        let claim = &document.claim;
        let lines: Vec<RunLine> = document.lines.iter().map(RunLine::of).collect();
        let record = RunClaimRecord {
            pk: keys::payment_run(&run.id),
            sk: keys::run_claim(&claim.provider, claim.id),
            run_id: run.id.clone(),
            id: claim.id,
            provider: claim.provider.clone(),
            provider_name: claim.provider_name.clone(),
            commissioner: claim.commissioner.clone(),
            total: total(&document.lines),
            counted: if claim.counted.is_empty() { contribution(&document.lines) } else { claim.counted.clone() },
            lines,
            services: claim.services.clone(),
            paid: false,
            gsi5pk: Some(keys::unpaid(&run.id)),
            gsi5sk: Some(keys::run_claim(&claim.provider, claim.id)),
        };
        let join = Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(claim.pk.clone(), claim.sk.clone())))
            .update_expression("SET paymentRunId = :run, version = version + :one REMOVE GSI5PK, GSI5SK, waitingSince")
            .condition_expression("#status = :approved AND attribute_not_exists(paymentRunId)")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":run", s(&run.id))
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":approved", s(ClaimStatus::Approved.code()));
        let items = vec![Self::built(join)?, self.put(&record, true)?];
        match self.transact(items).await {
            Ok(()) => Ok(true),
            Err(TransactFailure::ConditionFailed(_)) => Ok(false),
            Err(TransactFailure::Contended) => Err(AppError::Dependency("the claim was busy; try again".into())),
            Err(TransactFailure::Other(error)) => Err(error),
        }
    }

    /// Every claim of a run, in practice order.
    pub async fn run_claims(&self, run_id: &str) -> Result<Vec<RunClaimRecord>, AppError> {
        self.items_with_prefix(&keys::payment_run(run_id), keys::RUN_CLAIM_PREFIX).await
    }

    /// One page of a run's claims, in practice order (optionally one practice's).
    pub async fn run_claims_page(
        &self, run_id: &str, provider: Option<&OdsCode>, limit: i32, cursor_text: Option<&str>,
    ) -> Result<Page<RunClaimRecord>, AppError> {
        let partition = keys::payment_run(run_id);
        let prefix = provider.map(keys::run_claims_of).unwrap_or_else(|| keys::RUN_CLAIM_PREFIX.to_string());
        let start = cursor_text
            .map(|c| cursor::decode(self.cursor_key(), c, "run-claims", &[keys::PK, keys::SK], (keys::PK, &partition)))
            .transpose()?;
        let output = self
            .client()
            .query()
            .table_name(self.table())
            .key_condition_expression("PK = :pk AND begins_with(SK, :prefix)")
            .expression_attribute_values(":pk", s(&partition))
            .expression_attribute_values(":prefix", s(prefix))
            .limit(limit)
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(dependency("reading a payment run"))?;
        let next_cursor = output
            .last_evaluated_key
            .as_ref()
            .and_then(|key| cursor::encode(self.cursor_key(), "run-claims", &partition, key));
        let items = output.items.unwrap_or_default().into_iter().map(Self::from_item).collect::<Result<_, _>>()?;
        Ok(Page { items, next_cursor })
    }

    /// Collection is over: the run's totals, and ready to confirm.
    pub async fn finish_collecting(&self, run: &PaymentRunRecord) -> Result<Option<PaymentRunRecord>, AppError> {
        let claims = self.run_claims(&run.id).await?;
        let mut providers = Vec::new();
        let mut sum = Money::ZERO;
        for claim in &claims {
            add_to_totals(&mut providers, &claim.provider, &claim.provider_name, claim.total);
            sum = sum.plus(claim.total);
        }
        let lines: u64 = claims.iter().map(|c| c.lines.len() as u64).sum();
        let ready = PaymentRunRecord {
            status: RunStatus::Ready,
            claims: claims.len() as u64,
            lines,
            total: sum,
            providers,
            version: run.version + 1,
            ..run.clone()
        };
        let moved = self.move_run(run, &ready, Vec::new()).await?;
        Ok(moved.then_some(ready))
    }

    /// Ready → confirming, once: None if the run was not ready. With a key,
    /// remembers that this request confirmed it (`confirm_request`).
    pub async fn start_confirming(
        &self, run: &PaymentRunRecord, sender: Sender<'_>, now: Timestamp,
    ) -> Result<Option<PaymentRunRecord>, AppError> {
        let actor = sender.user_id;
        let confirming = PaymentRunRecord {
            status: RunStatus::Confirming,
            confirmed_at: Some(now),
            confirmed_by: Some(actor.to_string()),
            version: run.version + 1,
            ..run.clone()
        };
        let audit = AuditEntry {
            actor,
            action: AuditAction::PaymentRunConfirmed,
            target: keys::payment_run(&run.id),
            organisation: &run.commissioner,
            before: Some(json!({"status": run.status})),
            after: Some(json!({"paymentDate": run.payment_date, "claims": run.claims, "total": run.total})),
        }
        .record(now);
        let mut with = vec![self.put(&audit, true)?];
        with.extend(self.request_marker(sender, &confirm_request(&run.id), None, now)?);
        let moved = self.move_run(run, &confirming, with).await?;
        Ok(moved.then_some(confirming))
    }

    /// Confirming → confirmed, once every claim is paid.
    pub async fn finish_confirming(&self, run: &PaymentRunRecord) -> Result<Option<PaymentRunRecord>, AppError> {
        let done = PaymentRunRecord { status: RunStatus::Confirmed, version: run.version + 1, ..run.clone() };
        Ok(self.move_run(run, &done, Vec::new()).await?.then_some(done))
    }

    async fn move_run(
        &self, from: &PaymentRunRecord, to: &PaymentRunRecord, with: Vec<TransactWriteItem>,
    ) -> Result<bool, AppError> {
        let put = aws_sdk_dynamodb::types::Put::builder()
            .table_name(self.table())
            .set_item(Some(Self::to_item(to)?))
            .condition_expression("#status = :from AND version = :version")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":from", Self::to_attribute(&from.status)?)
            .expression_attribute_values(":version", n(from.version))
            .build()
            .map_err(|e| AppError::Internal(format!("building put: {e}")))?;
        let mut items = vec![TransactWriteItem::builder().put(put).build()];
        items.extend(with);
        match self.transact(items).await {
            Ok(()) => Ok(true),
            Err(TransactFailure::ConditionFailed(_)) => Ok(false),
            Err(failure) => {
                Err(failure.into_conflict(ConflictKind::RunMovedOn, "This payment run changed at the same moment"))
            }
        }
    }

    /// Up to `limit` of a run's claims not yet paid.
    pub async fn unpaid_claims(&self, run_id: &str, limit: i32) -> Result<Vec<UnpaidClaim>, AppError> {
        self.first_on_list(keys::unpaid(run_id), limit).await
    }

    /// Pays one claim of a run: approved → paid with the run and payment
    /// date, its report totals moved, its run item off the unpaid list — at once.
    pub async fn pay_claim(
        &self, run: &PaymentRunRecord, claim: &UnpaidClaim, actor: &str, now: Timestamp,
    ) -> Result<(), AppError> {
        let entry = HistoryEntry {
            at: now,
            by: actor.to_string(),
            action: PAID.into(),
            from: Some(ClaimStatus::Approved),
            to: ClaimStatus::Paid,
            reason: Some(format!("Payment run of {}", run.payment_date)),
            lines: Vec::new(),
        };
        let pay = Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(keys::claim(claim.id), keys::CLAIM)))
            .update_expression(
                "SET #status = :paid, history = list_append(history, :entry), paymentDate = :date, paidAt = :at, \
                 updatedAt = :at, version = version + :one",
            )
            .condition_expression("#status = :approved AND paymentRunId = :run")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":paid", s(ClaimStatus::Paid.code()))
            .expression_attribute_values(":approved", s(ClaimStatus::Approved.code()))
            .expression_attribute_values(":entry", Self::to_attribute(&vec![entry])?)
            .expression_attribute_values(":date", s(run.payment_date.to_string()))
            .expression_attribute_values(":at", s(now.to_string()))
            .expression_attribute_values(":one", n(1))
            .expression_attribute_values(":run", s(&run.id));
        let settled = Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(claim.pk.clone(), claim.sk.clone())))
            .update_expression("SET paid = :yes REMOVE GSI5PK, GSI5SK")
            .condition_expression("attribute_exists(GSI5PK)")
            .expression_attribute_values(":yes", aws_sdk_dynamodb::types::AttributeValue::Bool(true));
        let mut items = vec![Self::built(pay)?, Self::built(settled)?];
        let counting = Counting {
            id: claim.id,
            provider: &claim.provider,
            provider_name: &claim.provider_name,
            commissioner: &claim.commissioner,
        };
        items.extend(self.total_steps(
            &counting,
            Some(ClaimStatus::Approved),
            &claim.counted,
            ClaimStatus::Paid,
            &claim.counted,
        )?);
        match self.transact(items).await {
            Ok(()) => Ok(()),
            // Paid already by an earlier attempt whose answer was lost: nothing to do.
            Err(TransactFailure::ConditionFailed(_)) => Ok(()),
            Err(failure) => Err(failure.into_conflict(ConflictKind::ClaimBusy, "A claim was busy; the run goes on")),
        }
    }

    /// Audits a download of a run's finance export.
    pub async fn record_export(&self, run: &PaymentRunRecord, actor: &str, now: Timestamp) -> Result<(), AppError> {
        let audit = AuditEntry {
            actor,
            action: AuditAction::PaymentRunExported,
            target: keys::payment_run(&run.id),
            organisation: &run.commissioner,
            before: None,
            after: Some(json!({"claims": run.claims, "total": run.total})),
        }
        .record(now);
        self.record_alone(&audit, "recording the export").await
    }
}

/// The words a new run's `Idempotency-Key` is remembered with.
pub fn run_request(new: &NewRun) -> String {
    format!("start a payment run for {} paying on {}", new.commissioner, new.payment_date)
}

/// The words a confirmation's `Idempotency-Key` is remembered with.
pub fn confirm_request(run_id: &str) -> String {
    format!("confirm payment run {run_id}")
}

/// What one run pays one practice: the practice's remittance advice.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemittanceRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub run_id: String,
    pub provider: OdsCode,
    pub provider_name: String,
    pub commissioner: OdsCode,
    pub commissioner_name: String,
    pub payment_date: Date,
    pub claims: u64,
    pub total: Money,
}

impl Store {
    /// A remittance for every practice a run pays (repeatable: the same items again).
    pub async fn write_remittances(&self, run: &PaymentRunRecord) -> Result<(), AppError> {
        let records: Vec<RemittanceRecord> = run
            .providers
            .iter()
            .map(|p| RemittanceRecord {
                pk: keys::organisation(&p.provider),
                sk: keys::remittance(&run.id),
                run_id: run.id.clone(),
                provider: p.provider.clone(),
                provider_name: p.name.clone(),
                commissioner: run.commissioner.clone(),
                commissioner_name: run.commissioner_name.clone(),
                payment_date: run.payment_date,
                claims: p.claims,
                total: p.total,
            })
            .collect();
        for chunk in records.chunks(25) {
            let mut requests = chunk
                .iter()
                .map(|record| {
                    let put = aws_sdk_dynamodb::types::PutRequest::builder()
                        .set_item(Some(Self::to_item(record)?))
                        .build()
                        .map_err(|e| AppError::Internal(format!("building put: {e}")))?;
                    Ok(aws_sdk_dynamodb::types::WriteRequest::builder().put_request(put).build())
                })
                .collect::<Result<Vec<_>, AppError>>()?;
            for _ in 0..5 {
                if requests.is_empty() {
                    break;
                }
                let output = self
                    .client()
                    .batch_write_item()
                    .request_items(self.table(), requests)
                    .send()
                    .await
                    .map_err(dependency("writing remittances"))?;
                requests = output.unprocessed_items.and_then(|mut u| u.remove(self.table())).unwrap_or_default();
            }
            if !requests.is_empty() {
                return Err(AppError::Dependency("remittances could not all be written; try again".into()));
            }
        }
        Ok(())
    }

    /// A practice's remittances, newest run first.
    pub async fn remittances_of(&self, provider: &OdsCode) -> Result<Vec<RemittanceRecord>, AppError> {
        let mut found: Vec<RemittanceRecord> =
            self.items_with_prefix(&keys::organisation(provider), keys::REMITTANCE_PREFIX).await?;
        found.reverse();
        Ok(found)
    }

    pub async fn remittance(&self, provider: &OdsCode, run_id: &str) -> Result<Option<RemittanceRecord>, AppError> {
        self.get(keys::organisation(provider), keys::remittance(run_id)).await
    }
}
