//! A claim moving on: submitted (with its claim markers), moved from one
//! status to the next by a decision or check, or deleted as a draft — each
//! conditional on the version it was read at, with its history and audit entry.

use super::*;

impl Store {
    /// The claim's own update, conditional on the version the caller saw and on
    /// its still being editable; every change bumps the version.
    pub(super) fn claim_update(&self, claim: &ClaimRecord, now: Timestamp) -> UpdateBuilder {
        Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(claim.pk.clone(), claim.sk.clone())))
            .condition_expression("version = :version")
            .expression_attribute_values(":version", n(claim.version))
            .expression_attribute_values(":next", n(claim.version + 1))
            .expression_attribute_values(":at", s(now.to_string()))
    }

    /// The claim as `entry` leaves it: its history one longer, its version the
    /// next, placed on the work list of its new status.
    pub(super) fn after(claim: &ClaimRecord, entry: HistoryEntry, now: Timestamp) -> ClaimRecord {
        let to = entry.to;
        let mut history = claim.history.clone();
        history.push(entry);
        ClaimRecord { history, version: claim.version + 1, updated_at: now, ..claim.clone() }.placed(to, now)
    }

    /// The update that moves `claim`, as it was read, to `moved` — its status,
    /// history, version and place on the work lists, and `also` (more of the
    /// SET clause) — only if nobody moved it first.
    pub(super) fn transition(
        &self, claim: &ClaimRecord, moved: &ClaimRecord, also: &str, now: Timestamp,
    ) -> Result<UpdateBuilder, AppError> {
        let set = format!("SET #status = :to, history = :history, version = :next, updatedAt = :at{also}");
        Ok(Self::with_queue(self.claim_update(claim, now), &set, moved)
            .condition_expression("version = :version AND #status = :from")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":to", s(moved.status.code()))
            .expression_attribute_values(":from", s(claim.status.code()))
            .expression_attribute_values(":history", Self::to_attribute(&moved.history)?))
    }

    /// `set` (a SET clause) plus the claim's place on the work lists as
    /// `placed` has it: on one while it waits for a person, off them otherwise.
    pub(super) fn with_queue(update: UpdateBuilder, set: &str, placed: &ClaimRecord) -> UpdateBuilder {
        match (&placed.gsi5pk, &placed.gsi5sk, placed.waiting_since) {
            (Some(queue), Some(order), Some(since)) => update
                .update_expression(format!("{set}, GSI5PK = :queue, GSI5SK = :queued, waitingSince = :waiting"))
                .expression_attribute_values(":queue", s(queue))
                .expression_attribute_values(":queued", s(order))
                .expression_attribute_values(":waiting", s(since.to_string())),
            _ => update.update_expression(format!("{set} REMOVE GSI5PK, GSI5SK, waitingSince")),
        }
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
    pub(super) async fn transact_in_order(&self, mut items: Vec<TransactWriteItem>) -> Result<(), AppError> {
        let rest = if items.len() > 100 { items.split_off(100) } else { Vec::new() };
        self.transact(items).await.map_err(|f| f.into_conflict(ConflictKind::ClaimChanged, CLAIM_MOVED_ON))?;
        for chunk in rest.chunks(100) {
            self.transact(chunk.to_vec())
                .await
                .map_err(|f| f.into_conflict(ConflictKind::ClaimChanged, CLAIM_MOVED_ON))?;
        }
        Ok(())
    }

    /// Submits (`sender`'s key, if any, remembered with it): the new status and history, the claim markers (a second claim
    /// for the same service and period is refused) and the audit entry, at once.
    /// Files being checked must still be (`arrived`: those whose upload the
    /// submit found, now written as being checked).
    pub async fn submit_claim(
        &self, document: &ClaimDocument, arrived: &HashMap<String, String>, next: ClaimStatus,
        finance_threshold: Money, sender: Sender<'_>, now: Timestamp,
    ) -> Result<ClaimRecord, SubmitFailure> {
        let claim = &document.claim;
        let actor = sender.user_id;
        let entry = HistoryEntry {
            at: now,
            by: actor.to_string(),
            action: if claim.status == ClaimStatus::Returned { "resubmitted" } else { "submitted" }.into(),
            from: Some(claim.status),
            to: next,
            reason: None,
            lines: Vec::new(),
        };
        let on_list = keys::claim_order(now, claim.id);
        let value = crate::domain::claim_line::total(&document.lines);
        let submitted = ClaimRecord {
            submitted_at: Some(now),
            submitted_by: Some(actor.to_string()),
            gsi4pk: Some(keys::claims_of_commissioner(&claim.commissioner)),
            gsi4sk: Some(on_list.clone()),
            total: Some(value),
            finance_threshold: Some(finance_threshold),
            counted: contribution(&document.lines),
            ..Self::after(claim, entry, now)
        };
        let update = self
            .transition(
                claim,
                &submitted,
                ", submittedAt = :at, submittedBy = :actor, GSI4PK = :list, GSI4SK = :order, #total = :total, \
                 financeThreshold = :threshold, counted = :counted",
                now,
            )
            .map_err(SubmitFailure::Other)?
            .expression_attribute_values(
                ":counted",
                Self::to_attribute(&submitted.counted).map_err(SubmitFailure::Other)?,
            )
            .expression_attribute_names("#total", "total")
            .expression_attribute_values(":total", Self::to_attribute(&value).map_err(SubmitFailure::Other)?)
            .expression_attribute_values(
                ":threshold",
                Self::to_attribute(&finance_threshold).map_err(SubmitFailure::Other)?,
            )
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
        // Last, so the positions above stand: a key already used fails the whole.
        let request = submit_request(claim.id);
        items.extend(self.request_marker(sender, &request, None, now).map_err(SubmitFailure::Other)?);
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

    /// Moves a claim on from the status and version it was read at, with its
    /// history entry and audit entry, in one transaction. None if it had
    /// already moved on (another scan, reviewer or retry got there first).
    pub async fn move_claim(
        &self, claim: &ClaimRecord, entry: HistoryEntry, audit_action: AuditAction, acting_for: &OdsCode,
        keyed: Option<(Sender<'_>, &str)>, now: Timestamp,
    ) -> Result<Option<ClaimRecord>, AppError> {
        let moved = Self::after(claim, entry.clone(), now);
        let update = self.transition(claim, &moved, "", now)?;
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
        if let Some((sender, request)) = keyed {
            let made = moved.history.len().to_string();
            items.extend(self.request_marker(sender, request, Some(&made), now)?);
        }
        match self.transact(items).await {
            Ok(()) => Ok(Some(moved)),
            Err(TransactFailure::ConditionFailed(_)) => Ok(None),
            // Nobody may have moved it: the caller retries rather than leave it waiting.
            Err(TransactFailure::Contended) => Err(AppError::Dependency("the claim was busy; try again".into())),
            Err(TransactFailure::Other(error)) => Err(error),
        }
    }
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

/// The words a decision's `Idempotency-Key` is remembered with (what it
/// made: the decision's place in the claim's history, counted from 1).
pub fn decide_request(claim_id: u64, stage: Stage, verdict: crate::domain::review::Verdict) -> String {
    format!("decide claim {claim_id} at {}: {}", stage.code(), verdict.action())
}

/// The words a submit's `Idempotency-Key` is remembered with.
pub fn submit_request(claim_id: u64) -> String {
    format!("submit claim {claim_id}")
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
