//! Who may see or change a service, a provider's catalogue, an offer. Anything
//! the caller may not see is "not found", so nothing leaks between commissioners.

use crate::domain::account::{AccountStatus, Caller, MembershipStatus};
use crate::domain::component_form::ComponentDefinition;
use crate::domain::listing::Order;
use crate::domain::ods::OdsCode;
use crate::domain::offer::{parse_offer_id, OfferStatus};
use crate::domain::role::{OrganisationKind, Role};
use crate::domain::service::Viewer;
use crate::domain::validation::FieldErrors;
use crate::error::AppError;
use crate::store::catalogue::ServiceRecord;
use crate::store::offers::OfferRecord;
use crate::store::records::{MembershipRecord, OrganisationRecord};
use crate::store::users::UserListing;
use crate::store::windows::WindowRecord;
use crate::store::Store;
use std::collections::HashSet;

fn no_such_service() -> AppError {
    AppError::NotFound("There is no service with this reference among yours".into())
}

/// A service the caller may change: its commissioner's administrators only.
/// (`found` is the service the path names, read beside the caller's own account.)
/// The caller and the service they ask to change (`id`), read side by side,
/// as `service_to_change` judges them: the opening of every change to a
/// service's set-up.
pub async fn open_service_to_change(
    app: &crate::App, who: &super::caller::SignedIn, id: &str,
) -> Result<(Caller, ServiceRecord), AppError> {
    let (caller, found) = super::signed_in_alongside(app, who, app.store.service(id)).await?;
    let service = service_to_change(&app.store, &caller, found).await?;
    Ok((caller, service))
}

pub async fn service_to_change(
    store: &Store, caller: &Caller, found: Option<ServiceRecord>,
) -> Result<ServiceRecord, AppError> {
    let (service, _) = service_to_view(store, caller, found).await?;
    if !caller.holds(Role::CommissioningAdministrator, &service.commissioner) {
        return Err(AppError::Forbidden(format!(
            "Only the Commissioning Administrators of {} change this service",
            service.commissioner
        )));
    }
    Ok(service)
}

/// A service the caller may see, and as whom (`found`: the service the path names).
pub async fn service_to_view(
    store: &Store, caller: &Caller, found: Option<ServiceRecord>,
) -> Result<(ServiceRecord, Viewer), AppError> {
    let service = found.ok_or_else(no_such_service)?;
    let member_of = service.commissioners().find(|c| caller.active_organisations().any(|o| o == *c)).cloned();
    if let Some(code) = member_of {
        return Ok((service, Viewer::Commissioner(code)));
    }
    // A person at several practices: each one's offer is looked for at once (one round trip).
    let providers: Vec<&OdsCode> =
        caller.active_organisations().filter(|code| caller.is_provider_member(code)).collect();
    let offers =
        futures::future::try_join_all(providers.iter().map(|provider| store.offer(&service.id, provider))).await?;
    match providers.into_iter().zip(offers).find(|(_, offer)| offer.is_some()) {
        Some((provider, _)) => Ok((service, Viewer::Provider(provider.clone()))),
        None => Err(no_such_service()),
    }
}

/// A service and the commissioner the caller offers it for: its owner or one
/// it is shared with, whose administrator the caller is.
pub async fn service_to_offer(
    store: &Store, caller: &Caller, found: Option<ServiceRecord>, requested: Option<&str>,
) -> Result<(ServiceRecord, OdsCode), AppError> {
    let (service, _) = service_to_view(store, caller, found).await?;
    let mut administered: Vec<OdsCode> =
        service.commissioners().filter(|c| caller.holds(Role::CommissioningAdministrator, c)).cloned().collect();
    if let Some(raw) = requested.map(str::trim).filter(|r| !r.is_empty()) {
        let code = OdsCode::parse(raw).map_err(|detail| AppError::invalid_field("commissioner", detail))?;
        administered.retain(|c| c == &code);
    }
    match administered.len() {
        1 => Ok((service, administered.remove(0))),
        0 => Err(AppError::Forbidden("Only Commissioning Administrators offer services".into())),
        _ => Err(AppError::invalid_field(
            "commissioner",
            "You administer more than one commissioner sharing this service: choose which one offers it",
        )),
    }
}

/// The offer an id (`<serviceId>.<ods>`) names, with its service, read together.
pub async fn offer_named(store: &Store, id: &str) -> Result<Option<(OfferRecord, ServiceRecord)>, AppError> {
    let Some((service_id, provider)) = parse_offer_id(id) else {
        return Ok(None);
    };
    let (offer, service) = tokio::try_join!(store.offer(&service_id, &provider), store.service(&service_id))?;
    Ok(offer.zip(service))
}

/// An offer the caller may answer (a user or approver of the provider it was
/// made to), with its service (`found`: [`offer_named`], read beside the caller's own account).
pub fn offer_to_answer(
    caller: &Caller, found: Option<(OfferRecord, ServiceRecord)>,
) -> Result<(OfferRecord, ServiceRecord), AppError> {
    let not_found = || AppError::NotFound("There is no offer with this reference among yours".into());
    match found {
        Some((offer, service)) if caller.is_provider_member(&offer.provider) => Ok((offer, service)),
        _ => Err(not_found()),
    }
}

fn no_such_provider() -> AppError {
    AppError::NotFound("There is no provider with this ODS code among yours".into())
}

/// A provider whose services and windows the caller may see: its own members
/// and its commissioner's administrators.
pub fn provider_visible(caller: &Caller, record: Option<&OrganisationRecord>) -> Result<OrganisationRecord, AppError> {
    let record = record.filter(|r| r.kind == OrganisationKind::Provider).ok_or_else(no_such_provider)?;
    if caller.is_provider_member(&record.code) || caller.administers(&record.organisation()) {
        Ok(record.clone())
    } else {
        Err(no_such_provider())
    }
}

/// Organisation records for codes a form lists (the i-th at `pointer(i)`),
/// each checked to exist and pass `fits` (which says why not); every problem
/// is reported.
pub async fn organisations_listed(
    store: &Store, pointer: impl Fn(usize) -> String, codes: &[OdsCode],
    fits: impl Fn(&OrganisationRecord) -> Result<(), String>,
) -> Result<Vec<OrganisationRecord>, AppError> {
    let found = store.organisation_records(codes).await?;
    organisations_checked(pointer, codes, &found, fits)
}

/// As [`organisations_listed`], with the records already read (`found`).
pub fn organisations_checked(
    pointer: impl Fn(usize) -> String, codes: &[OdsCode], found: &[OrganisationRecord],
    fits: impl Fn(&OrganisationRecord) -> Result<(), String>,
) -> Result<Vec<OrganisationRecord>, AppError> {
    let mut errors = FieldErrors::new();
    let mut records = Vec::with_capacity(codes.len());
    for (i, code) in codes.iter().enumerate() {
        match found.iter().find(|r| &r.code == code) {
            None => errors.add(&pointer(i), format!("There is no organisation with the ODS code {code}")),
            Some(record) => match fits(record) {
                Ok(()) => records.push(record.clone()),
                Err(message) => errors.add(&pointer(i), message),
            },
        }
    }
    errors.into_result()?;
    Ok(records)
}

/// Every provider given its own price must be one the service's commissioners commission.
pub async fn tariff_providers_known(
    store: &Store, service: &ServiceRecord, definition: &ComponentDefinition,
) -> Result<(), AppError> {
    let codes: Vec<OdsCode> = definition.tariffs.iter().map(|t| t.provider.clone()).collect();
    organisations_listed(
        store,
        |i| format!("tariffs/{i}/provider"),
        &codes,
        |org| match &org.commissioner {
            Some(c) if org.kind == OrganisationKind::Provider && service.commissioners().any(|s| s == c) => Ok(()),
            _ => Err(format!("{} ({}) is not a provider commissioned by {}", org.name, org.code, service.commissioner)),
        },
    )
    .await
    .map(|_| ())
}

/// The organisation a list is for: the one asked for, or the caller's only
/// one among `candidates`.
pub fn chosen_organisation(
    candidates: Vec<OdsCode>, requested: Option<&str>, field: &str, refusal: &str,
) -> Result<OdsCode, AppError> {
    match requested {
        Some(raw) => {
            let code = OdsCode::parse(raw).map_err(|detail| AppError::invalid_field(field, detail))?;
            if candidates.contains(&code) {
                Ok(code)
            } else {
                Err(AppError::Forbidden(refusal.to_string()))
            }
        }
        None => match candidates.as_slice() {
            [only] => Ok(only.clone()),
            [] => Err(AppError::Forbidden(refusal.to_string())),
            many => {
                let codes: Vec<String> = many.iter().map(|c| c.to_string()).collect();
                Err(AppError::invalid_field(
                    field,
                    format!("You belong to several: choose one of {}", codes.join(", ")),
                ))
            }
        },
    }
}

/// Providers that accepted a service and owe a claim for a window's period:
/// not claimed yet, and not set to claim any time.
pub async fn providers_without_claim(
    store: &Store, window: &WindowRecord,
) -> Result<Vec<OrganisationRecord>, AppError> {
    let accepted: Vec<OdsCode> = store
        .offers_of_service(&window.service_id)
        .await?
        .into_iter()
        .filter(|o| o.status == OfferStatus::Accepted)
        .map(|o| o.provider)
        .collect();
    if accepted.is_empty() {
        return Ok(Vec::new());
    }
    let claimed = store.claimed(&accepted, &window.service_id, &window.period_key).await?;
    let mut owing: Vec<OrganisationRecord> = store
        .organisation_records(&accepted)
        .await?
        .into_iter()
        .filter(|p| !p.claims_any_time && !claimed.contains_key(&p.code))
        .collect();
    owing.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(owing)
}

/// The services of the offers a provider accepted (its offers already read).
pub async fn services_accepted(store: &Store, offers: Vec<OfferRecord>) -> Result<Vec<ServiceRecord>, AppError> {
    let accepted: Vec<String> =
        offers.into_iter().filter(|o| o.status == OfferStatus::Accepted).map(|o| o.service_id).collect();
    store.services(&accepted).await
}

/// Providers whose people are looked up at the same time.
const PEOPLE_READS_AT_ONCE: usize = 32;

/// The people of each of many providers (to tell them of an offer or a
/// payment), found 32 providers at a time; in the order given, each with its
/// own outcome so one failure does not stop the others. The change they are
/// told of is made already and nothing else would tell them, so a refused
/// read is tried again (`persistently`).
pub async fn people_of_providers(
    store: &Store, providers: &[OdsCode],
) -> Vec<(OdsCode, Result<Vec<MembershipRecord>, AppError>)> {
    use futures::StreamExt;
    let mut found: Vec<(usize, OdsCode, Result<Vec<MembershipRecord>, AppError>)> =
        futures::stream::iter(providers.iter().cloned().enumerate())
            .map(|(i, code)| people_at(store.clone(), i, code))
            .buffer_unordered(PEOPLE_READS_AT_ONCE)
            .collect()
            .await;
    found.sort_by_key(|(i, _, _)| *i);
    found.into_iter().map(|(_, code, people)| (code, people)).collect()
}

async fn people_at(
    store: Store, i: usize, provider: OdsCode,
) -> (usize, OdsCode, Result<Vec<MembershipRecord>, AppError>) {
    let people = crate::error::persistently(|| provider_people(&store, &provider)).await;
    (i, provider, people)
}

/// The provider's active users and approvers whose accounts are active, each
/// once: the people told about its offers and windows.
pub async fn provider_people(store: &Store, provider: &OdsCode) -> Result<Vec<MembershipRecord>, AppError> {
    let mut people = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let listing = UserListing {
            organisation: provider,
            status: Some(MembershipStatus::Active),
            order: Order::Ascending,
            limit: 100,
            cursor: cursor.as_deref(),
        };
        let page = store.members(&listing).await?;
        people.extend(page.items.into_iter().filter(|m| matches!(m.role, Role::ProviderUser | Role::ProviderApprover)));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let ids: Vec<String> = people.iter().map(|m| m.user_id.clone()).collect();
    let accounts = store.accounts(&ids).await?;
    let mut seen = HashSet::new();
    people.retain(|m| {
        accounts.get(&m.user_id).is_some_and(|a| a.status == AccountStatus::Active) && seen.insert(m.user_id.clone())
    });
    Ok(people)
}
