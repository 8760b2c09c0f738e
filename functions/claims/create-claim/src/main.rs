//! POST /claims: +New Claim. Starts a draft for the practice with the next
//! claim id (increasing, unique across the system, never reused), recording
//! what it can claim now for the Services pane. Refused, with the guides'
//! reason, when nothing can be claimed. A retried request with the same
//! `Idempotency-Key` answers the claim the first one made.

use serde::Deserialize;
use shared::access::caller::SignedIn;
use shared::access::{self, signed_in, signed_in_alongside};
use shared::domain::claim_availability::Unavailable;
use shared::domain::ods::OdsCode;
use shared::domain::organisation::ClaimSubmission;
use shared::edge::{json, Answered, IdempotencyKey, Json};
use shared::store::claims::{NewClaim, Started};
use shared::views::claims::ClaimSummary;
use shared::ConflictKind;
use shared::{App, AppError};

#[derive(Deserialize, utoipa::ToSchema)]
struct NewClaimForm {
    #[serde(default)]
    #[schema(value_type = shared::domain::ods::OdsCode, required = false)]
    provider: Option<String>,
}

shared::serve_http!(POST "/claims" => create);

async fn create(
    app: &App, who: SignedIn, key: IdempotencyKey, form: Json<NewClaimForm>,
) -> Answered<ClaimSummary<'static>, 201> {
    let form = form.read()?;
    let idempotency_key = key.key()?;
    // With the practice named, its records are read beside the caller's account;
    // otherwise the caller's only practice is found first.
    let named = form.provider.as_deref().and_then(|raw| OdsCode::parse(raw).ok());
    let (caller, inputs) = match &named {
        Some(code) => {
            let (caller, inputs) =
                signed_in_alongside(app, &who, access::claims::claim_inputs(&app.store, code)).await?;
            (caller, Some(inputs))
        }
        None => (signed_in(app, &who).await?, None),
    };
    let code = access::catalogue::chosen_organisation(
        caller.providers(),
        form.provider.as_deref(),
        "provider",
        "Only a practice's users and approvers start its claims",
    )?;
    let inputs = match inputs {
        Some(inputs) => inputs,
        None => access::claims::claim_inputs(&app.store, &code).await?,
    };
    let provider = access::claims::provider_in_view(&caller, &inputs)?;
    let now = jiff::Timestamp::now();
    let (claims, id) =
        tokio::try_join!(access::claims::claimable_now(&app.store, &provider, inputs, now), app.store.next_claim_id())?;
    let found = claims.availability;
    if !found.can_start_claim {
        let reasons: Vec<String> = found.reasons.iter().map(reason_text).collect();
        return Err(AppError::conflict(ConflictKind::NothingToClaim, reasons.join(". ")));
    }
    let commissioner =
        claims.commissioner.ok_or_else(|| AppError::Internal("the practice has no commissioner on record".into()))?;
    let new = NewClaim {
        provider: &provider.code,
        provider_name: &provider.name,
        commissioner: &commissioner.code,
        commissioner_name: &commissioner.name,
        submission: commissioner.claim_submission.unwrap_or(ClaimSubmission::SingleService),
        claims_any_time: provider.claims_any_time,
        claimable: found.claimable,
        created_by: &caller.user_id,
        idempotency_key,
    };
    match app.store.create_claim(&new, id, now.into()).await? {
        Started::New(claim) => {
            tracing::info!(claim_id = claim.id, provider = %provider.code, "claim started");
            let document = shared::store::claims::ClaimDocument { claim: *claim, lines: vec![], files: vec![] };
            json(&ClaimSummary::of(&document))
        }
        Started::Before(existing) => {
            let document = app
                .store
                .claim(existing)
                .await?
                .ok_or_else(|| AppError::NotFound("The claim this request made has since been deleted".into()))?;
            json(&ClaimSummary::of(&document))
        }
        Started::KeyReused => Err(AppError::invalid_field(
            "Idempotency-Key",
            "This key was sent before with a claim for another practice: send a new key for a new claim",
        )),
    }
}

fn reason_text(reason: &Unavailable) -> String {
    match reason {
        Unavailable::NotOpenYet { message, .. }
        | Unavailable::AllClaimed { message }
        | Unavailable::OffersWaiting { message, .. }
        | Unavailable::NothingOffered { message }
        | Unavailable::Missed { message, .. } => message.clone(),
    }
}
