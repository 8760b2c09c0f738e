//! POST /claims/{id}/lines: the second Add All button (`{ "all": true }`: every
//! component of the services in the claim) or Add+ (`{ "components": [id] }`).
//! Each line takes the component version in force at the end of the period
//! claimed, with this practice's own price, so a later change never alters it.

use serde::Deserialize;
use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::claim::HistoryEntry;
use shared::domain::claim_line::ClaimLine;
use shared::domain::component_version::in_force;
use shared::domain::financial_year::Period;
use shared::domain::validation::FieldErrors;
use shared::edge::address::ClaimId;
use shared::edge::{json, Answered, Json, Path};
use shared::store::claims::ClaimRecord;
use shared::store::components::Component;
use shared::views::claims::ClaimScreen;
use shared::{App, AppError};
use std::collections::HashMap;

#[derive(Deserialize, utoipa::ToSchema)]
struct AddLinesForm {
    #[serde(default)]
    all: bool,
    #[serde(default)]
    #[schema(schema_with = shared::edge::openapi::fields::plain_list)]
    components: Vec<String>,
}

shared::serve_http!(POST "/claims/{id}/lines" => add_lines);

async fn add_lines(
    app: &App, who: SignedIn, Path(id): Path<ClaimId>, form: Json<AddLinesForm>,
) -> Answered<ClaimScreen<'static, HistoryEntry>> {
    let (_, mut document) = access::claims::open_to_edit(app, &who, id).await?;
    let form: AddLinesForm = form.read()?;
    let claim = &document.claim;
    if claim.services.is_empty() {
        return Err(AppError::invalid_field("services", "Add a service to the claim first"));
    }
    let ids = claim.claimable.iter().map(|c| c.service_id.clone());
    let components = access::claims::components_of(&app.store, ids).await?;
    let available = lines_available(claim, &components);
    let mut errors = FieldErrors::new();
    let wanted: Vec<&ClaimLine> = if form.all {
        available.iter().collect()
    } else {
        if form.components.is_empty() {
            errors.add("components", "Choose a component to add, or Add All");
        }
        form.components
            .iter()
            .enumerate()
            .filter_map(|(i, id)| {
                let found = available.iter().find(|l| &l.component_id == id);
                if found.is_none() {
                    errors.add(&format!("components/{i}"), "This component is not part of a service in this claim");
                }
                found
            })
            .collect()
    };
    errors.into_result()?;
    let new: Vec<ClaimLine> = wanted.into_iter().filter(|l| document.line(&l.id).is_none()).cloned().collect();
    if !new.is_empty() {
        app.store.add_to_claim(&document.claim, &document.claim.services, &new, shared::Timestamp::now()).await?;
        document.claim.version += 1;
        document.lines.extend(new);
    }
    json(&ClaimScreen::of(&document, &components))
}

/// A line for every component of the services in the claim, as the version in
/// force at the end of the claimed period defines it for this practice.
fn lines_available(claim: &ClaimRecord, components: &HashMap<String, Vec<Component>>) -> Vec<ClaimLine> {
    let mut lines = Vec::new();
    for service in &claim.services {
        let Some(period) = Period::from_key(&service.period) else { continue };
        for component in components.get(&service.service_id).into_iter().flatten() {
            if let Some(version) = in_force(&component.versions, period.last_day) {
                lines.push(ClaimLine::new(
                    &service.service_id,
                    &service.period,
                    &component.id,
                    version,
                    &claim.provider,
                ));
            }
        }
    }
    lines
}
