//! POST /claims/{id}/decisions: a reviewer decides a claim at the stage it is
//! waiting for — `{ "stage": "tier1" | "tier2" | "finance" | "provider",
//! "decision": "approve" | "reject" | "return", "reason" }`. Only someone who
//! holds that stage's role in the claim's commissioner (its practice, for the
//! practice's own approval) decides; nobody decides a claim they submitted, and
//! Tier 1's approver does not approve Tier 2 (a 403 says why). The move is
//! conditional on the status and version read, so two reviewers deciding at
//! once make one decision and the other is told. The submitter is emailed.

use lambda_http::Request;
use shared::access;
use shared::domain::claim::HistoryEntry;
use shared::domain::claim_line::{total, AttachmentStatus};
use shared::domain::review::{may_decide, Decision, Stage, Verdict, DEFAULT_FINANCE_THRESHOLD};
use shared::domain::validation::FieldErrors;
use shared::edge::{json, json_body, path_param, HttpResult};
use shared::mail::templates::{self, Addressee};
use shared::views::claims::claim_summary_json;
use shared::{App, AppError, Timestamp};

shared::serve_http!(decide; path: ["id"], query: [], body: Decision);

async fn decide(app: &App, request: Request) -> HttpResult {
    let (account, mut document, _) = access::claims::open(app, &request, &path_param(&request, "id")?).await?;
    let decision: Decision = json_body(&request)?;
    let mut errors = FieldErrors::new();
    decision.problems(&mut errors);
    errors.into_result()?;
    let claim = &document.claim;
    let deciding_for = if decision.stage == Stage::Provider { &claim.provider } else { &claim.commissioner };
    if !account.caller().holds(decision.stage.role(), deciding_for) {
        return Err(AppError::Forbidden(format!(
            "Only {} of {} can decide this claim at {}",
            decision.stage.role().label(),
            deciding_for,
            decision.stage.label()
        )));
    }
    let actor = account.account.user_id.clone();
    may_decide(&actor, &decision, &claim.history).map_err(AppError::Forbidden)?;
    let if_match = request.headers().get("if-match").and_then(|v| v.to_str().ok());
    access::claims::check_version(if_match, &document)?;
    let scanning = document.files.iter().any(|f| f.status == AttachmentStatus::Scanning);
    let next = decision
        .next_status(claim.status, total(&document.lines), DEFAULT_FINANCE_THRESHOLD, scanning)
        .map_err(|moved| AppError::conflict("claim-moved-on", moved.0))?;
    let now = Timestamp::now();
    let reason = decision.reason.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    let entry = HistoryEntry {
        at: now,
        by: actor,
        action: decision.decision.action().into(),
        from: Some(claim.status),
        to: next,
        reason,
    };
    let audit_action = format!("claim.{}", decision.decision.action());
    let moved = app.store.move_claim(claim, entry, &audit_action, now).await?.ok_or_else(|| {
        AppError::conflict(
            "claim-decided",
            "Someone else decided this claim at the same moment. Refresh it to see where it is",
        )
    })?;
    document.claim = moved;
    tracing::info!(claim_id = document.claim.id, status = document.claim.status.code(), "claim decided");
    let notification = tell_the_submitter(app, &document.claim, decision.decision).await?;
    let mut view = claim_summary_json(&document);
    view["notification"] = notification.into();
    json(200, &view)
}

/// The practice hears of a return or a rejection (with the reason) and of
/// final approval; a step between tiers is not news to them.
async fn tell_the_submitter(
    app: &App,
    claim: &shared::store::claims::ClaimRecord,
    verdict: Verdict,
) -> Result<&'static str, AppError> {
    let final_approval = claim.status == shared::domain::claim::ClaimStatus::Approved;
    if verdict == Verdict::Approve && !final_approval {
        return Ok("none");
    }
    let Some(account) = app.store.submitter_of(claim).await? else { return Ok("none") };
    let reason = claim.history.last().and_then(|e| e.reason.clone());
    let letter = templates::claim_decided(
        &Addressee::of_account(&account),
        claim.id,
        &claim.provider_name,
        claim.status.label(),
        reason.as_deref(),
        claim.history.len(),
        &app.claim_link(claim.id),
    );
    Ok(app.mail().notify(&letter).await)
}
