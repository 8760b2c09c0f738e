//! A claim after its evidence is checked. Taken by the scan function after
//! each decision and by submit after it commits: each writes first and reads
//! the claim (strongly consistent) after, so whichever of the two writes last
//! sees every file and moves the claim; the move is conditional on the
//! version it read, so it happens once even when both see it.

use crate::domain::audit_action::AuditAction;
use crate::domain::claim::{AfterChecks, HistoryEntry};
use crate::domain::claim_line::AttachmentStatus;
use crate::mail::templates;
use crate::store::claims::ClaimRecord;
use crate::{App, AppError, Timestamp};

pub use crate::domain::claim::SYSTEM;

/// Moves the claim on if its checked evidence says so, and answers with it as
/// moved (None if it stayed). A claim returned by an
/// earlier run of this step gets its email queued again under the same id
/// (the mailer sends it once), in case that run stopped before queueing it.
pub async fn settle(app: &App, claim_id: u64) -> Result<Option<ClaimRecord>, AppError> {
    let Some(document) = app.store.claim(claim_id).await? else {
        return Ok(None);
    };
    let claim = &document.claim;
    let files: Vec<_> = document.files.iter().map(|f| f.evidence()).collect();
    let now = Timestamp::now();
    match claim.status.after_checks(&files) {
        AfterChecks::Stay => {
            let last = claim.history.last();
            let returned_by_check =
                last.is_some_and(|entry| entry.by == SYSTEM && entry.to == claim.status && entry.action == RETURNED);
            let refused = document.files.iter().any(|f| f.status == AttachmentStatus::Refused);
            if returned_by_check && refused {
                notify_returned(app, claim).await?;
            }
            Ok(None)
        }
        AfterChecks::MoveOn(to) => {
            let entry = history(claim, to, "evidence checked", None, now);
            let moved = app
                .store
                .move_claim(claim, entry, AuditAction::ClaimEvidenceChecked, &claim.provider, None, now)
                .await?;
            if let Some(moved) = &moved {
                tracing::info!(claim_id, status = moved.status.code(), "evidence clean: claim moved on");
            }
            Ok(moved)
        }
        AfterChecks::Return { to, reason } => {
            let entry = history(claim, to, RETURNED, Some(reason), now);
            let moved =
                app.store.move_claim(claim, entry, AuditAction::ClaimReturned, &claim.provider, None, now).await?;
            if let Some(moved) = &moved {
                tracing::info!(claim_id, "evidence refused: claim returned to the practice");
                notify_returned(app, moved).await?;
            }
            Ok(moved)
        }
    }
}

const RETURNED: &str = "returned by the evidence check";

fn history(
    claim: &ClaimRecord, to: crate::domain::claim::ClaimStatus, action: &str, reason: Option<String>, at: Timestamp,
) -> HistoryEntry {
    HistoryEntry {
        at,
        by: SYSTEM.into(),
        action: action.into(),
        from: Some(claim.status),
        to,
        reason,
        lines: Vec::new(),
    }
}

/// Tells whoever submitted the claim. Failing to queue is an error, so the
/// event is retried and the email (same id) queued then.
async fn notify_returned(app: &App, claim: &ClaimRecord) -> Result<(), AppError> {
    let Some(account) = app.store.submitter_of(claim).await? else {
        return Ok(());
    };
    let reason = claim.history.last().and_then(|e| e.reason.clone()).unwrap_or_default();
    let letter = templates::claim_returned_by_check(
        &account.names(),
        claim.id,
        &claim.provider_name,
        &reason,
        claim.history.len(),
        &app.claim_link(claim.id),
    );
    app.mail().enqueue(&letter).await
}
