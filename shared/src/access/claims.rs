//! Who may see or change a claim, and what a provider may claim now. A
//! provider's users and approvers see and edit its claims; its commissioner's
//! people see them once submitted (never drafts); everyone else finds nothing.

use super::caller::signed_in_account_alongside;
use super::caller::SignedIn;
use crate::app::App;
use crate::domain::account::Caller;
use crate::domain::claim::ClaimStatus;
use crate::domain::claim_availability::{availability, AcceptedService, Availability};
use crate::domain::ods::OdsCode;
use crate::domain::offer::OfferStatus;
use crate::edge::address::ClaimId;
use crate::error::AppError;
use crate::error::ConflictKind;
use crate::store::accounts::AccountView;
use crate::store::catalogue::ServiceRecord;
use crate::store::claims::ClaimDocument;
use crate::store::records::OrganisationRecord;
use crate::store::Store;
use jiff::Timestamp;
use std::collections::{HashMap, HashSet};

pub(crate) fn no_such_claim() -> AppError {
    AppError::NotFound("There is no claim with this ID among yours".into())
}

/// How the caller stands to a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimViewer {
    /// A user or approver of the practice that made it.
    Provider,
    /// Someone at its commissioner (read-only here).
    Commissioner,
}

/// The caller and the claim in the address, read together (neither depends on
/// the other), then whether the caller may see it and as whom.
pub async fn open(
    app: &App, caller: &SignedIn, id: ClaimId,
) -> Result<(AccountView, ClaimDocument, ClaimViewer), AppError> {
    let (account, document) = signed_in_account_alongside(app, caller, app.store.claim(id.0)).await?;
    let document = document.ok_or_else(no_such_claim)?;
    let viewer = may_view(&account.caller(), &document)?;
    Ok((account, document, viewer))
}

/// As `open`, for a change only the practice that made the claim may make.
pub async fn open_own(app: &App, caller: &SignedIn, id: ClaimId) -> Result<(AccountView, ClaimDocument), AppError> {
    let (account, document, viewer) = open(app, caller, id).await?;
    if viewer != ClaimViewer::Provider {
        return Err(AppError::Forbidden("Only the practice that made this claim can change it".into()));
    }
    Ok((account, document))
}

/// As `open_own`, for a change to its lines: it must still be a draft (or returned).
pub async fn open_to_edit(app: &App, caller: &SignedIn, id: ClaimId) -> Result<(AccountView, ClaimDocument), AppError> {
    let (account, document) = open_own(app, caller, id).await?;
    let status = document.claim.status;
    if !status.is_editable() {
        return Err(AppError::conflict(
            ConflictKind::ClaimNotEditable,
            format!("This claim is {}: it can no longer be changed", status.label()),
        ));
    }
    Ok((account, document))
}

/// Whether the caller may see a claim, and as whom.
pub fn may_view(caller: &Caller, document: &ClaimDocument) -> Result<ClaimViewer, AppError> {
    let claim = &document.claim;
    if caller.is_provider_member(&claim.provider) {
        return Ok(ClaimViewer::Provider);
    }
    if claim.status != ClaimStatus::Draft && caller.active_organisations().any(|o| o == &claim.commissioner) {
        return Ok(ClaimViewer::Commissioner);
    }
    Err(no_such_claim())
}

/// The version the caller last saw (`If-Match`), when sent, must be the claim's.
pub fn check_version(if_match: Option<&str>, document: &ClaimDocument) -> Result<(), AppError> {
    let Some(raw) = if_match else { return Ok(()) };
    match crate::domain::entity_tag::if_match_allows(raw, document.claim.version) {
        Ok(true) => Ok(()),
        Ok(false) => Err(AppError::Stale(
            "This claim has changed since you opened it (perhaps in another tab). Refresh it and enter your change again"
                .into(),
        )),
        Err(detail) => Err(AppError::invalid_field("If-Match", detail)),
    }
}

/// What a provider can claim now, with the services it accepted.
pub struct ProviderClaims {
    pub availability: Availability,
    pub services: Vec<ServiceRecord>,
    pub commissioner: Option<OrganisationRecord>,
}

/// What decides +New Claim that can be read knowing only the practice's code:
/// the practice itself, its offers and its claim markers (read side by side,
/// and beside the caller's own account).
pub struct ClaimInputs {
    pub provider: Option<OrganisationRecord>,
    offers: Vec<crate::store::offers::OfferRecord>,
    claimed: HashSet<(String, String)>,
}

pub async fn claim_inputs(store: &Store, code: &OdsCode) -> Result<ClaimInputs, AppError> {
    let (provider, offers, claimed) =
        tokio::try_join!(store.organisation_record(code), store.offers_to(code), store.claims_made_by(code))?;
    Ok(ClaimInputs { provider, offers, claimed })
}

/// The practice the caller may claim for or look at, from what `claim_inputs` read.
pub fn provider_in_view(caller: &Caller, inputs: &ClaimInputs) -> Result<OrganisationRecord, AppError> {
    super::catalogue::provider_visible(caller, inputs.provider.as_ref())
}

/// Then, side by side: the accepted services, their windows and the
/// commissioner; and what the practice can claim now.
pub async fn claimable_now(
    store: &Store, provider: &OrganisationRecord, inputs: ClaimInputs, now: Timestamp,
) -> Result<ProviderClaims, AppError> {
    let waiting = inputs.offers.iter().filter(|o| o.status == OfferStatus::Offered).count();
    let accepted: Vec<String> =
        inputs.offers.into_iter().filter(|o| o.status == OfferStatus::Accepted).map(|o| o.service_id).collect();
    let mut window_reads = tokio::task::JoinSet::new();
    if !provider.claims_any_time {
        for id in &accepted {
            let store = store.clone();
            let id = id.clone();
            window_reads.spawn(async move { store.windows_of(&id).await.map(|w| (id, w)) });
        }
    }
    let commissioner_code: Vec<OdsCode> = provider.commissioner.iter().cloned().collect();
    let (services, commissioners) =
        tokio::try_join!(store.services(&accepted), store.organisation_records(&commissioner_code))?;
    let mut windows = HashMap::new();
    while let Some(read) = window_reads.join_next().await {
        let (id, records) = read.map_err(|e| AppError::Internal(format!("reading windows: {e}")))??;
        windows.insert(id, records);
    }
    let mut services = services;
    services.sort_by_key(|s| s.name.to_lowercase());
    let accepted_services: Vec<AcceptedService<'_>> = services
        .iter()
        .map(|service| AcceptedService {
            id: &service.id,
            name: &service.name,
            year: service.financial_year,
            periods: service.claim_periods,
            windows: windows
                .get(&service.id)
                .map(|w| w.iter().filter_map(|r| r.window()).collect())
                .unwrap_or_default(),
        })
        .collect();
    let commissioner = commissioners.into_iter().next();
    let commissioner_name = commissioner.as_ref().map(|c| c.name.clone()).unwrap_or_else(|| "your commissioner".into());
    let found =
        availability(provider.claims_any_time, &accepted_services, &inputs.claimed, waiting, &commissioner_name, now);
    Ok(ProviderClaims { availability: found, services, commissioner })
}

/// The components of some services, by service id, read side by side.
pub async fn components_of(
    store: &Store, service_ids: impl IntoIterator<Item = String>,
) -> Result<HashMap<String, Vec<crate::store::components::Component>>, AppError> {
    let mut reads = tokio::task::JoinSet::new();
    let unique: std::collections::BTreeSet<String> = service_ids.into_iter().collect();
    for id in unique {
        let store = store.clone();
        reads.spawn(async move { store.components(&id).await.map(|c| (id, c)) });
    }
    let mut components = HashMap::new();
    while let Some(read) = reads.join_next().await {
        let (id, list) = read.map_err(|e| AppError::Internal(format!("reading components: {e}")))??;
        components.insert(id, list);
    }
    Ok(components)
}
