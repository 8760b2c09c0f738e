//! Claims a commissioner enters from a bulk upload: ids taken in one block,
//! then each claim written whole (claim, lines, claim marker, audit entry) in
//! its own transaction, conditional on its marker: a practice already claimed
//! — by itself, an earlier upload, or the same file sent twice at once — gets
//! nothing new.

use super::audit::AuditEntry;
use super::claims::{ClaimRecord, ClaimService, LineRecord};
use super::windows::ClaimMarker;
use super::{keys, n, Store, TransactFailure};
use crate::domain::audit_action::AuditAction;
use crate::domain::claim::{ClaimStatus, HistoryEntry};
use crate::domain::claim_line::{total, ClaimLine};
use crate::domain::money::Money;
use crate::domain::ods::OdsCode;
use crate::domain::organisation::ClaimSubmission;
use crate::domain::report::{contribution, Counted};
use crate::domain::review::ENTERED;
use crate::domain::timestamp::Timestamp;
use crate::error::ConflictKind;
use crate::error::{dependency, AppError};
use aws_sdk_dynamodb::types::ReturnValue;
use serde_json::json;
use std::ops::RangeInclusive;

/// The lines of a transaction besides the claim, its marker and its audit entry.
pub const MAX_LINES: usize = 96;

/// One claim a commissioner enters for a practice.
pub struct EnteredClaim {
    pub provider: OdsCode,
    pub provider_name: String,
    pub commissioner: OdsCode,
    pub commissioner_name: String,
    pub submission: ClaimSubmission,
    pub service: ClaimService,
    pub lines: Vec<ClaimLine>,
    pub finance_threshold: Money,
    pub entered_by: String,
    /// The keyed request entering it (`Keyed::sent_as`), if it had a key.
    pub entered_with: Option<String>,
}

impl Store {
    /// `count` new claim ids in one counter update (none is ever reused).
    pub async fn next_claim_ids(&self, count: u64) -> Result<RangeInclusive<u64>, AppError> {
        let output = self
            .client()
            .update_item()
            .table_name(self.table())
            .set_key(Some(Self::key(keys::CLAIM_ID_COUNTER.into(), keys::COUNTER)))
            .update_expression("SET claimId = if_not_exists(claimId, :start) + :count")
            .expression_attribute_values(":start", n(super::claims::CLAIM_IDS_AFTER))
            .expression_attribute_values(":count", n(count))
            .return_values(ReturnValue::UpdatedNew)
            .send()
            .await
            .map_err(dependency("numbering the claims"))?;
        let last: u64 = output
            .attributes
            .and_then(|a| a.get("claimId").and_then(|v| v.as_n().ok()).and_then(|v| v.parse().ok()))
            .ok_or_else(|| AppError::Internal("the claim counter answered no number".into()))?;
        Ok(last + 1 - count..=last)
    }

    /// Writes one entered claim, straight to Pending Tier 2 Review; false if
    /// the practice had claimed the service and period meanwhile.
    pub async fn enter_claim(&self, entered: &EnteredClaim, id: u64, now: Timestamp) -> Result<bool, AppError> {
        if entered.lines.len() > MAX_LINES {
            return Err(AppError::Internal(format!("a service of {} components", entered.lines.len())));
        }
        let status = ClaimStatus::PendingTier2Review;
        let order = keys::claim_order(now, id);
        let value = total(&entered.lines);
        let service = &entered.service;
        let claim = ClaimRecord {
            pk: keys::claim(id),
            sk: keys::CLAIM.into(),
            id,
            provider: entered.provider.clone(),
            provider_name: entered.provider_name.clone(),
            commissioner: entered.commissioner.clone(),
            commissioner_name: entered.commissioner_name.clone(),
            submission: entered.submission,
            claims_any_time: false,
            status,
            version: 1,
            claimable: Vec::new(),
            services: vec![service.clone()],
            service_ids: vec![service.service_id.clone()],
            periods: vec![service.period.clone()],
            history: vec![HistoryEntry {
                at: now,
                by: entered.entered_by.clone(),
                action: ENTERED.into(),
                from: None,
                to: status,
                reason: None,
                lines: Vec::new(),
            }],
            created_at: now,
            created_by: entered.entered_by.clone(),
            submitted_at: Some(now),
            submitted_by: Some(entered.entered_by.clone()),
            updated_at: now,
            gsi1pk: keys::claims_of_provider(&entered.provider),
            gsi1sk: order.clone(),
            gsi4pk: Some(keys::claims_of_commissioner(&entered.commissioner)),
            gsi4sk: Some(order),
            total: Some(value),
            finance_threshold: Some(entered.finance_threshold),
            waiting_since: None,
            counted: contribution(&entered.lines),
            payment_run_id: None,
            payment_date: None,
            gsi5pk: None,
            gsi5sk: None,
        }
        .placed(status, now);
        let mut marker = ClaimMarker::new(&entered.provider, &service.service_id, &service.period, &id.to_string());
        marker.entered_with = entered.entered_with.clone();
        let audit = AuditEntry {
            actor: &entered.entered_by,
            action: AuditAction::ClaimEntered,
            target: keys::claim(id),
            organisation: &entered.provider,
            before: None,
            after: Some(json!({"status": status, "total": value, "service": service.service_id,
                               "period": service.period})),
        }
        .record(now);
        let mut items = vec![self.put(&marker, true)?, self.put(&claim, true)?, self.put(&audit, true)?];
        if let Some(commissioners) = audit.also_filed_under(&entered.commissioner) {
            items.push(self.put(&commissioners, true)?);
        }
        items.extend(self.total_steps(&claim.counting(), None, &Counted::new(), status, &claim.counted)?);
        for line in &entered.lines {
            let record =
                LineRecord { pk: keys::claim(id), sk: keys::claim_line(&line.id), claim_id: id, line: line.clone() };
            items.push(self.put(&record, true)?);
        }
        match self.transact(items).await {
            Ok(()) => Ok(true),
            Err(TransactFailure::ConditionFailed(failed)) if failed.contains(&0) => Ok(false),
            Err(failure) => Err(failure.into_conflict(ConflictKind::ClaimExists, "This claim already exists")),
        }
    }
}
