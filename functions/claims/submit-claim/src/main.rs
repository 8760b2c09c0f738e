//! POST /claims/{id}/submit: the green Submit button, after confirmation
//! (`{ "confirm": true }`). Checks the whole claim and answers with every
//! problem at once, each at its line and field, changing nothing; otherwise,
//! in one transaction, moves it on (Pending System Review while files are
//! checked — a file whose upload has arrived and whose check has not begun is
//! being checked, not missing, and is pinned to that upload — else Pending
//! Tier 1 Review; a file whose check finishes as it is
//! submitted fails the transaction, and the claim is read again and submitted
//! as it now stands; or, when the practice asks for it and the submitter is not one
//! of its approvers, to the practice's approver first), keeps its total and
//! the commissioner's Finance threshold in force, writes a claim marker for each service
//! and period (a second claim for the same is refused) and the audit entry.
//! Answers with the claim summary and emails the submitter.

use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::access_request::ConfirmForm;
use shared::domain::claim::{ClaimStatus, HistoryEntry};
use shared::domain::claim_line::{total, AttachmentStatus};
use shared::domain::review::{needs_provider_approval, DEFAULT_FINANCE_THRESHOLD};
use shared::domain::role::Role;
use shared::domain::uk_time::uk_date_time;
use shared::domain::validation::FieldErrors;
use shared::edge::address::ClaimId;
use shared::edge::crash::crash_point;
use shared::edge::{json, Answered, IdempotencyKey, Json, Path};
use shared::mail::templates;
use shared::store::accounts::AccountView;
use shared::store::claims::{submit_request, ClaimDocument, ClaimRecord, SubmitFailure};
use shared::store::records::{AccountRecord, MembershipRecord};
use shared::store::requests::{key_used_before, KeyUse, Sender};
use shared::views::claims::{ClaimSummary, Notified};
use shared::ConflictKind;
use shared::{App, AppError};
use std::collections::HashMap;

shared::serve_http!(POST "/claims/{id}/submit" => submit);

/// How many times a submission is tried when a file's check finishes at the
/// same moment (each try reads the claim again).
const TRIES: usize = 3;

async fn submit(
    app: &App, who: SignedIn, Path(id): Path<ClaimId>, key: IdempotencyKey, form: Json<ConfirmForm>,
) -> Answered<Notified<ClaimSummary<'static>>> {
    let key = key.key()?;
    let (account, mut document) = access::claims::open_own(app, &who, id).await?;
    let sender = Sender { user_id: &account.account.user_id, key };
    let request = submit_request(document.claim.id);
    let mut tries = 1;
    let approvers = loop {
        match submit_once(app, &form, &account, &mut document, sender).await {
            Err(SubmitFailure::EvidenceChecked) if tries < TRIES => {
                tries += 1;
                document = app.store.claim(document.claim.id).await?.ok_or_else(claim_gone)?;
            }
            // Refused as moved on: if this very request moved it (its answer lost,
            // or its function ended after the change), the retry finishes it.
            Err(failure @ SubmitFailure::Other(AppError::Conflict { .. })) if sender.key.is_some() => {
                match app.store.key_use(sender, &request).await? {
                    KeyUse::ThisRequest { .. } => {
                        document = app.store.claim(document.claim.id).await?.ok_or_else(claim_gone)?;
                        break approvers_to_ask(app, &document.claim, &account).await?;
                    }
                    KeyUse::AnotherRequest => return Err(key_used_before()),
                    KeyUse::New => return Err(refusal(failure)),
                }
            }
            Err(failure) => return Err(refusal(failure)),
            Ok(approvers) => break approvers,
        }
    };
    crash_point("after-transaction");
    tracing::info!(claim_id = document.claim.id, status = document.claim.status.code(), "claim submitted");
    let claim = &document.claim;
    let services: Vec<String> = claim.services.iter().map(|s| format!("{} ({})", s.name, s.period_label)).collect();
    let mut letter = templates::claim_submitted(
        &account.account.names(),
        claim.id,
        &claim.provider_name,
        &services,
        &total(&document.lines).to_string(),
        claim.status.label(),
        &app.claim_link(claim.id),
    );
    // Fixed per submission, so a retry that finishes the work emails no one twice.
    letter.id = format!("claim-{}-submitted-{}", claim.id, submission_number(claim));
    let notification = app.mail().notify(&letter).await;
    if claim.status == ClaimStatus::PendingProviderApproval {
        ask_the_approvers(app, claim, &approvers, &account.account, &total(&document.lines).to_string()).await;
    }
    json(&Notified { view: ClaimSummary::of(&document), notification })
}

/// Where in the claim's history its latest submission stands (1 for the first move).
fn submission_number(claim: &ClaimRecord) -> usize {
    let submitted = |entry: &&HistoryEntry| matches!(entry.from, Some(ClaimStatus::Draft | ClaimStatus::Returned));
    claim.history.iter().rposition(|entry| submitted(&entry)).map_or(claim.history.len(), |i| i + 1)
}

/// The practice's approvers, when the submitted claim waits for one of them.
async fn approvers_to_ask(
    app: &App, claim: &ClaimRecord, account: &AccountView,
) -> Result<Vec<MembershipRecord>, AppError> {
    if claim.status != ClaimStatus::PendingProviderApproval
        || account.caller().holds(Role::ProviderApprover, &claim.provider)
    {
        return Ok(Vec::new());
    }
    app.store.active_members_with(&claim.provider, Role::ProviderApprover).await
}

/// Checks the claim as read and submits it, leaving the submitted claim in
/// `document`; answers with the practice's approvers when the claim may need
/// them (read beside the claim's windows, so asking them costs no round trip).
async fn submit_once(
    app: &App, form: &Json<ConfirmForm>, account: &AccountView, document: &mut ClaimDocument, sender: Sender<'_>,
) -> Result<Vec<MembershipRecord>, SubmitFailure> {
    let claim = &document.claim;
    if !claim.status.is_editable() {
        return Err(AppError::conflict(
            ConflictKind::ClaimSubmitted,
            format!("Claim {} has already been submitted: it is {}", claim.id, claim.status.label()),
        )
        .into());
    }
    form.read()?.require("submit this claim").map_err(AppError::from)?;
    let submitter_approves = account.caller().holds(Role::ProviderApprover, &claim.provider);
    let approvers = async {
        if submitter_approves {
            Ok(Vec::new())
        } else {
            app.store.active_members_with(&claim.provider, Role::ProviderApprover).await
        }
    };
    let parties = [claim.provider.clone(), claim.commissioner.clone()];
    let (mut errors, organisations, approvers, arrived) = tokio::try_join!(
        window_problems(app, claim),
        app.store.organisation_records(&parties),
        approvers,
        arrivals(app, document)
    )?;
    document.with_arrivals(&arrived);
    line_problems(document, &mut errors);
    errors.into_result().map_err(AppError::from)?;
    let claim = &document.claim;
    let setting_of = |code| organisations.iter().find(|o| &o.code == code);
    let needs_approval = needs_provider_approval(
        setting_of(&claim.provider).is_some_and(|p| p.claims_need_approval),
        submitter_approves,
    );
    let threshold =
        setting_of(&claim.commissioner).and_then(|c| c.finance_threshold).unwrap_or(DEFAULT_FINANCE_THRESHOLD);
    let scanning = document.files.iter().any(|f| f.status == AttachmentStatus::Scanning);
    let next = claim
        .status
        .submit(needs_approval, scanning)
        .map_err(|refused| AppError::conflict(ConflictKind::ClaimSubmitted, refused.0))?;
    let now = shared::Timestamp::now();
    document.claim = app.store.submit_claim(document, &arrived, next, threshold, sender, now).await?;
    Ok(approvers)
}

/// What a practice manager is told when the submission did not go through.
fn refusal(failure: SubmitFailure) -> AppError {
    match failure {
        SubmitFailure::AlreadyClaimed(service) => AppError::conflict(
            ConflictKind::AlreadyClaimed,
            format!(
                "A claim for {} ({}) has already been submitted by your practice: remove it from this claim",
                service.name, service.period_label
            ),
        ),
        SubmitFailure::EvidenceChecked => AppError::conflict(
            ConflictKind::ClaimChanged,
            "The evidence on this claim was being checked as you submitted it. Refresh the claim and submit it again",
        ),
        SubmitFailure::Other(error) => error,
    }
}

fn claim_gone() -> AppError {
    AppError::NotFound("This claim has been deleted".into())
}

/// The uploads that have arrived for files still awaiting theirs (by
/// attachment id, with the S3 version found), looked for side by side.
async fn arrivals(app: &App, document: &ClaimDocument) -> Result<HashMap<String, String>, AppError> {
    let awaiting = document.files.iter().filter(|f| f.status == AttachmentStatus::AwaitingUpload);
    let found = futures::future::try_join_all(awaiting.map(|file| async move {
        Ok::<_, AppError>(app.evidence().arrived(&file.object_key).await?.map(|version| (file.id.clone(), version)))
    }))
    .await?;
    Ok(found.into_iter().flatten().collect())
}

/// The problems with what the claim holds, at each line and field.
fn line_problems(document: &ClaimDocument, errors: &mut FieldErrors) {
    if document.claim.services.is_empty() {
        errors.add("services", "Add a service to the claim");
    } else if document.lines.is_empty() {
        errors.add("lines", "Add the components you are claiming for (Add All, or Add+)");
    }
    for line in &document.lines {
        let files: Vec<_> = document.files_of(&line.id).map(|f| f.evidence()).collect();
        line.problems(&files, errors);
    }
}

/// The claim's windows that are not open now, at each service.
async fn window_problems(app: &App, claim: &ClaimRecord) -> Result<FieldErrors, AppError> {
    let mut errors = FieldErrors::new();
    if !claim.claims_any_time {
        let now = jiff::Timestamp::now();
        let wanted: Vec<(String, String)> =
            claim.services.iter().map(|s| (s.service_id.clone(), s.period.clone())).collect();
        let windows = app.store.windows_for(&wanted).await?;
        for (i, service) in claim.services.iter().enumerate() {
            let window = windows
                .iter()
                .find(|w| w.service_id == service.service_id && w.period_key == service.period)
                .and_then(|w| w.window());
            match window {
                Some(w) if w.opens_at <= now && now < w.closes_at => {}
                Some(w) => errors.add(
                    &format!("services/{i}"),
                    format!(
                        "The claim window for {} ({}) is not open: it runs from {} to {}. Contact your Primary Care Team",
                        service.name,
                        service.period_label,
                        uk_date_time(w.opens_at),
                        uk_date_time(w.closes_at)
                    ),
                ),
                None => errors.add(
                    &format!("services/{i}"),
                    format!("There is no claim window for {} ({})", service.name, service.period_label),
                ),
            }
        }
    }
    Ok(errors)
}

/// The practice's approvers hear that a claim waits for them. The claim is
/// submitted already: a failure here is logged, and the work list still shows it.
async fn ask_the_approvers(
    app: &App, claim: &ClaimRecord, approvers: &[MembershipRecord], submitter: &AccountRecord, total: &str,
) {
    let by = submitter.names().full_name();
    for approver in approvers {
        let letter = templates::claim_awaits_approval(
            &approver.names(),
            &approver.user_id,
            claim.id,
            &by,
            total,
            submission_number(claim),
            &app.claim_link(claim.id),
        );
        app.mail().notify(&letter).await;
    }
}
