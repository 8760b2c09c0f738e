//! POST /claims/{id}/services: the first Add All button (`{ "all": true }`) or
//! one service (`{ "services": [id] }`) — takes services into the claim, each
//! for the period it can be claimed for, so their components show in the
//! Components pane. A single-service commissioner's claims hold one service.

use serde::Deserialize;
use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::claim::HistoryEntry;
use shared::domain::claim_availability::Claimable;
use shared::domain::organisation::ClaimSubmission;
use shared::domain::validation::FieldErrors;
use shared::edge::address::ClaimId;
use shared::edge::{json, Answered, Json, Path};
use shared::store::claims::ClaimService;
use shared::views::claims::ClaimScreen;
use shared::App;

#[derive(Deserialize, utoipa::ToSchema)]
struct AddServicesForm {
    #[serde(default)]
    all: bool,
    #[serde(default)]
    #[schema(schema_with = shared::edge::openapi::fields::plain_list)]
    services: Vec<String>,
    /// For a practice that claims any time: the period claimed.
    #[serde(default)]
    #[schema(schema_with = shared::edge::openapi::fields::period_as_listed)]
    period: Option<String>,
}

shared::serve_http!(POST "/claims/{id}/services" => add_services);

async fn add_services(
    app: &App, who: SignedIn, Path(id): Path<ClaimId>, form: Json<AddServicesForm>,
) -> Answered<ClaimScreen<'static, HistoryEntry>> {
    let (_, mut document) = access::claims::open_to_edit(app, &who, id).await?;
    let form: AddServicesForm = form.read()?;
    let claim = &document.claim;
    let chosen = choose(&form, &claim.claimable)?;
    let mut services = claim.services.clone();
    let mut errors = FieldErrors::new();
    for (i, wanted) in chosen.iter().enumerate() {
        match services.iter().find(|s| s.service_id == wanted.service_id) {
            Some(taken) if taken.period == wanted.period => {}
            Some(taken) => errors.add(
                &format!("services/{i}"),
                format!(
                    "{} is already in this claim for {}: a claim is for one period per service",
                    taken.name, taken.period_label
                ),
            ),
            None => services.push(ClaimService {
                service_id: wanted.service_id.clone(),
                name: wanted.service_name.clone(),
                period: wanted.period.clone(),
                period_label: wanted.period_label.clone(),
                closes_at: wanted.closes_at.map(Into::into),
            }),
        }
    }
    if claim.submission == ClaimSubmission::SingleService && services.len() > 1 {
        let extra: Vec<&str> = services.iter().skip(1).map(|s| s.name.as_str()).collect();
        errors.add(
            "services",
            format!(
                "{} asks for one service per claim. This claim is for {}: start a new claim for {}",
                claim.commissioner_name,
                services[0].name,
                extra.join(", ")
            ),
        );
    }
    errors.into_result()?;
    let ids: Vec<String> = claim.claimable.iter().map(|c| c.service_id.clone()).collect();
    let components = if services == claim.services {
        access::claims::components_of(&app.store, ids).await?
    } else {
        // The write and the components pane's read do not depend on each other.
        let (_, components) = tokio::try_join!(
            app.store.add_to_claim(claim, &services, &[], shared::Timestamp::now()),
            access::claims::components_of(&app.store, ids)
        )?;
        document.claim.services = services;
        document.claim.version += 1;
        components
    };
    json(&ClaimScreen::of(&document, &components))
}

/// What the form asks for, among what the claim may take: every service (one
/// period each) or those named.
fn choose(form: &AddServicesForm, claimable: &[Claimable]) -> Result<Vec<Claimable>, FieldErrors> {
    let mut errors = FieldErrors::new();
    let period = form.period.as_deref();
    let options = |service_id: &str| -> Vec<&Claimable> {
        claimable.iter().filter(|c| c.service_id == service_id && period.is_none_or(|p| c.period == p)).collect()
    };
    let wanted: Vec<String> = if form.all {
        let mut ids: Vec<String> = claimable.iter().map(|c| c.service_id.clone()).collect();
        ids.dedup();
        ids
    } else {
        form.services.clone()
    };
    if wanted.is_empty() {
        errors.add("services", "Choose a service to add, or Add All");
    }
    let mut chosen = Vec::new();
    for (i, id) in wanted.iter().enumerate() {
        match options(id).as_slice() {
            [] => errors.add(&format!("services/{i}"), "This service cannot be claimed now"),
            [only] => chosen.push((*only).clone()),
            many => {
                let periods: Vec<&str> = many.iter().map(|c| c.period.as_str()).collect();
                errors.add("period", format!("Choose the period to claim: {}", periods.join(", ")));
            }
        }
    }
    errors.into_result()?;
    Ok(chosen)
}
