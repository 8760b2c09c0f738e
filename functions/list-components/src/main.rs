//! GET /services/{id}/components: a service's components as they stand today,
//! with changes still to come. Providers see their own prices.

use lambda_http::Request;
use serde_json::json;
use shared::catalogue_views::component_json;
use shared::domain::uk_time::uk_today;
use shared::http::{json, path_param, serve, HttpResult};
use shared::App;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    serve(|request| list(&app, request)).await
}

async fn list(app: &App, request: Request) -> HttpResult {
    let caller = app.caller(&request).await?;
    let (service, viewer) = app.service_to_view(&caller, &path_param(&request, "id")?).await?;
    let today = uk_today(jiff::Timestamp::now());
    let mut components = app.store.components(&service.id).await?;
    components.sort_by_key(|c| c.latest().map(|v| v.definition.name.to_lowercase()));
    let items: Vec<_> = components.iter().map(|c| component_json(&service.id, c, today, &viewer)).collect();
    json(200, &json!({ "service": {"id": service.id, "name": service.name}, "items": items }))
}
