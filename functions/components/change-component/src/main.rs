//! PUT /services/{id}/components/{componentId}: a change to a component (its
//! price, questions, evidence…) becomes a new version from a date. Earlier
//! versions, and the claims made against them, are never changed.

use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::component_form::ComponentForm;
use shared::domain::component_version::{next_version_from, ComponentVersion};
use shared::domain::service::Viewer;
use shared::domain::uk_time::uk_today;
use shared::edge::address::{ComponentId, ServiceId};
use shared::edge::{json, Answered, Json, Path};
use shared::store::components::Written;
use shared::views::catalogue::ComponentView;
use shared::{App, AppError};

shared::serve_http!(PUT "/services/{id}/components/{componentId}" => change);

async fn change(
    app: &App, who: SignedIn, Path((id, component_id)): Path<(ServiceId, ComponentId)>, form: Json<ComponentForm>,
) -> Answered<ComponentView<'static>> {
    let (caller, service) = access::catalogue::open_service_to_change(app, &who, &id).await?;
    let mut component = app
        .store
        .component(&service.id, &component_id)
        .await?
        .ok_or_else(|| AppError::NotFound("This service has no component with this reference".into()))?;
    let latest = component.latest().cloned().ok_or_else(|| AppError::Internal("component without versions".into()))?;
    let valid = form.read()?.validate()?;
    let now = shared::Timestamp::now();
    let effective_from = next_version_from(&latest, valid.effective_from, uk_today(now), service.financial_year)
        .map_err(|detail| AppError::invalid_field("effectiveFrom", detail))?;
    access::catalogue::tariff_providers_known(&app.store, &service, &valid.definition).await?;
    let version = ComponentVersion { version: latest.version + 1, effective_from, definition: valid.definition };
    app.store
        .write_component_version(
            &service,
            &component.id,
            version.clone(),
            Written::After(&latest),
            &caller.user_id,
            now,
        )
        .await?;
    component.versions.push(version);
    let viewer = Viewer::Commissioner(service.commissioner.clone());
    json(&ComponentView::of(&service.id, &component, uk_today(now), &viewer))
}
