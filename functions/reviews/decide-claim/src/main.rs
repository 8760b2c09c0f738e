//! POST /claims/{id}/decisions: a reviewer decides a claim at the stage it is
//! waiting for — `{ "stage": "tier1" | "tier2" | "finance" | "provider",
//! "decision": "approve" | "reject" | "return", "reason" }`. Only someone who
//! holds that stage's role in the claim's commissioner (its practice, for the
//! practice's own approval) decides; nobody decides a claim they submitted, and
//! Tier 1's approver does not approve Tier 2 (a 403 says why). The move is
//! conditional on the status and version read, so two reviewers deciding at
//! once make one decision and the other is told. Tier 2 compares the claim's
//! total with the Finance threshold in force when it was submitted. The
//! submitter and the practice's approvers are emailed, with the reason.
//!
//! The same decision sent again with its `Idempotency-Key` (its answer lost)
//! is answered with the claim as it now is, and its emails are sent if they
//! were not; a key sent with another request is refused.
//!
//! Two sequential round trips: the caller and the claim (side by side), then
//! the decision (with its audit entry) beside the look-up of who to tell.

use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::audit_action::AuditAction;
use shared::domain::claim::{HistoryEntry, LineNote};
use shared::domain::claim_line::{total, AttachmentStatus};
use shared::domain::person::PersonNames;
use shared::domain::review::{may_decide, Decision, Stage, DEFAULT_FINANCE_THRESHOLD};
use shared::domain::role::Role;
use shared::domain::validation::FieldErrors;
use shared::edge::address::ClaimId;
use shared::edge::crash::crash_point;
use shared::edge::{json, Answered, IdempotencyKey, IfMatch, Json, Path};
use shared::error::persistently;
use shared::mail::templates::{self, ClaimDecision};
use shared::store::accounts::AccountView;
use shared::store::claims::{decide_request, ClaimDocument, ClaimRecord};
use shared::store::records::{AccountRecord, MembershipRecord};
use shared::store::requests::{made_before, Sender};
use shared::views::claims::{ClaimSummary, Notified};
use shared::ConflictKind;
use shared::{App, AppError, Timestamp};

shared::serve_http!(POST "/claims/{id}/decisions" => decide);

async fn decide(
    app: &App, who: SignedIn, Path(id): Path<ClaimId>, if_match: IfMatch, key: IdempotencyKey, form: Json<Decision>,
) -> Answered<Notified<ClaimSummary<'static>>> {
    let key = key.key()?;
    let (account, document, _) = access::claims::open(app, &who, id).await?;
    let decision = form.read()?;
    let sender = Sender { user_id: &account.account.user_id, key };
    let request = decide_request(document.claim.id, decision.stage, decision.decision);
    let if_match = if_match.value.as_deref();
    match Box::pin(make_decision(app, &account, document, &decision, if_match, (sender, &request))).await {
        // Refused (moved on, decided already…): if this very request decided
        // it — its answer lost, or its function ended — it is finished now.
        Err(refused) if sender.key.is_some() => match made_before(app.store.key_use(sender, &request).await?)? {
            Some(made) => {
                let document =
                    app.store.claim(id.0).await?.ok_or_else(|| AppError::NotFound("The claim is gone".into()))?;
                decided_before(app, document, decision.stage, &made).await
            }
            None => Err(refused),
        },
        answered => answered,
    }
}

/// The decision, checked and made; the submitter and approvers emailed.
async fn make_decision(
    app: &App, account: &AccountView, mut document: ClaimDocument, decision: &Decision, if_match: Option<&str>,
    keyed: (Sender<'_>, &str),
) -> Answered<Notified<ClaimSummary<'static>>> {
    let mut errors = FieldErrors::new();
    decision.problems(&mut errors);
    for (i, note) in decision.lines.iter().enumerate() {
        if document.line(&note.line_id).is_none() {
            errors.add(&format!("lines/{i}/lineId"), "This claim has no such line");
        }
    }
    errors.into_result()?;
    let claim = &document.claim;
    let deciding_for = if decision.stage.decided_by_provider() { &claim.provider } else { &claim.commissioner };
    if !account.caller().holds(decision.stage.role(), deciding_for) {
        return Err(AppError::Forbidden(format!(
            "Only someone with the {} role at {} can decide this claim at {}",
            decision.stage.role().label(),
            deciding_for,
            decision.stage.label()
        )));
    }
    let actor = account.account.user_id.clone();
    may_decide(&actor, decision, &claim.history).map_err(AppError::Forbidden)?;
    access::claims::check_version(if_match, &document)?;
    let scanning = document.files.iter().any(|f| f.status == AttachmentStatus::Scanning);
    let value = claim.total.unwrap_or_else(|| total(&document.lines));
    let threshold = claim.finance_threshold.unwrap_or(DEFAULT_FINANCE_THRESHOLD);
    let next = decision
        .next_status(claim.status, value, threshold, scanning)
        .map_err(|moved| AppError::conflict(ConflictKind::ClaimMovedOn, moved.0))?;
    let now = Timestamp::now();
    let reason = decision.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    let entry = HistoryEntry {
        at: now,
        by: actor,
        action: decision.decision.action().into(),
        from: Some(claim.status),
        to: next,
        reason,
        lines: decision
            .lines
            .iter()
            .map(|note| LineNote { line_id: note.line_id.clone(), reason: note.reason.trim().to_string() })
            .collect(),
    };
    let audit_action = AuditAction::from(decision.decision);
    let (moved, recipients) = tokio::join!(
        app.store.move_claim(claim, entry, audit_action, deciding_for, Some(keyed), now),
        // Read again if refused: the decision stands either way, and its emails should not be lost to one failed read.
        persistently(|| who_to_tell(app, claim))
    );
    let moved = moved?.ok_or_else(|| {
        AppError::conflict(
            ConflictKind::ClaimDecided,
            "Someone else decided this claim at the same moment. Refresh it to see where it is",
        )
    })?;
    document.claim = moved;
    crash_point("after-decision");
    tracing::info!(claim_id = document.claim.id, status = document.claim.status.code(), "claim decided");
    let notification = match recipients {
        Ok(recipients) => tell(app, &document, decision.stage, &recipients).await,
        Err(error) => {
            tracing::error!(claim_id = document.claim.id, error = %error, "decision emails not sent");
            "failed"
        }
    };
    json(&Notified { view: ClaimSummary::of(&document), notification })
}

/// This request's decision, made before (its answer lost, or its function
/// ended after the change): the claim as it now is, and the decision's
/// emails, which the mail ledger sends once whoever asks.
async fn decided_before(
    app: &App, document: ClaimDocument, stage: Stage, made: &str,
) -> Answered<Notified<ClaimSummary<'static>>> {
    let position: usize =
        made.parse().map_err(|_| AppError::Internal(format!("unreadable decision {made} on a key")))?;
    let mut decided = document.clone();
    decided.claim.history.truncate(position);
    let entry =
        decided.claim.history.last().ok_or_else(|| AppError::Internal("the decision is not in the history".into()))?;
    decided.claim.status = entry.to;
    let recipients = persistently(|| who_to_tell(app, &decided.claim)).await?;
    let notification = tell(app, &decided, stage, &recipients).await;
    json(&Notified { view: ClaimSummary::of(&document), notification })
}

/// Someone the practice wants told of a decision.
enum Recipient {
    Submitter(AccountRecord),
    Approver(MembershipRecord),
}

impl Recipient {
    fn user_id(&self) -> &str {
        match self {
            Recipient::Submitter(account) => &account.user_id,
            Recipient::Approver(membership) => &membership.user_id,
        }
    }

    fn names(&self) -> PersonNames<'_> {
        match self {
            Recipient::Submitter(account) => account.names(),
            Recipient::Approver(membership) => membership.names(),
        }
    }
}

/// The claim's submitter and the practice's approvers, once each.
async fn who_to_tell(app: &App, claim: &ClaimRecord) -> Result<Vec<Recipient>, AppError> {
    let (submitter, approvers) = tokio::try_join!(
        app.store.submitter_of(claim),
        app.store.active_members_with(&claim.provider, Role::ProviderApprover)
    )?;
    let mut recipients: Vec<Recipient> = submitter.into_iter().map(Recipient::Submitter).collect();
    for approver in approvers {
        if !recipients.iter().any(|r| r.user_id() == approver.user_id) {
            recipients.push(Recipient::Approver(approver));
        }
    }
    Ok(recipients)
}

/// Emails every recipient; "queued" when all were, "failed" if any was not,
/// "none" when there was nobody to tell.
async fn tell(app: &App, document: &ClaimDocument, stage: Stage, recipients: &[Recipient]) -> &'static str {
    let claim = &document.claim;
    let Some(entry) = claim.history.last() else { return "none" };
    let link = app.claim_link(claim.id);
    let notes: Vec<(String, String)> = entry
        .lines
        .iter()
        .map(|note| {
            let name = document.line(&note.line_id).map(|l| l.name.clone()).unwrap_or_default();
            (name, note.reason.clone())
        })
        .collect();
    let decision = ClaimDecision {
        claim_id: claim.id,
        provider: &claim.provider_name,
        stage: stage.label(),
        action: &entry.action,
        status: claim.status.label(),
        reason: entry.reason.as_deref(),
        decision_number: claim.history.len(),
        line_notes: &notes,
        link: &link,
    };
    let mut outcome = "none";
    for recipient in recipients {
        let letter = templates::claim_decided(&recipient.names(), recipient.user_id(), &decision);
        let sent = app.mail().notify(&letter).await;
        if outcome != "failed" {
            outcome = sent;
        }
    }
    outcome
}
