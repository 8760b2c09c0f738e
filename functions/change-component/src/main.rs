//! PUT /services/{id}/components/{componentId}: a change to a component (its
//! price, questions, evidence…) becomes a new version from a date. Earlier
//! versions, and the claims made against them, are never changed.

use lambda_http::Request;
use shared::access::{self, signed_in_alongside};
use shared::domain::component_form::ComponentForm;
use shared::domain::component_version::{next_version_from, ComponentVersion};
use shared::domain::service::Viewer;
use shared::domain::uk_time::uk_today;
use shared::edge::{json, json_body, path_param, HttpResult};
use shared::views::catalogue::component_json;
use shared::{App, AppError};

shared::serve_http!(change; path: ["id", "componentId"], query: [], body: ComponentForm);

async fn change(app: &App, request: Request) -> HttpResult {
    let id = path_param(&request, "id")?;
    let (caller, found) = signed_in_alongside(app, &request, app.store.service(&id)).await?;
    let service = access::catalogue::service_to_change(&app.store, &caller, found).await?;
    let mut component = app
        .store
        .component(&service.id, &path_param(&request, "componentId")?)
        .await?
        .ok_or_else(|| AppError::NotFound("This service has no component with this reference".into()))?;
    let latest = component.latest().cloned().ok_or_else(|| AppError::Internal("component without versions".into()))?;
    let valid = json_body::<ComponentForm>(&request)?.validate()?;
    let now = shared::Timestamp::now();
    let effective_from = next_version_from(&latest, valid.effective_from, uk_today(now), service.financial_year)
        .map_err(|detail| AppError::invalid_field("effectiveFrom", detail))?;
    access::catalogue::tariff_providers_known(&app.store, &service, &valid.definition).await?;
    let version = ComponentVersion { version: latest.version + 1, effective_from, definition: valid.definition };
    app.store
        .write_component_version(&service, &component.id, version.clone(), Some(&latest), &caller.user_id, now)
        .await?;
    component.versions.push(version);
    let viewer = Viewer::Commissioner(service.commissioner.clone());
    json(200, &component_json(&service.id, &component, uk_today(now), &viewer))
}
