//! GET /services/{id}: a service, for its commissioners and the providers it was offered to.

use lambda_http::Request;
use shared::catalogue::Viewer;
use shared::catalogue_views::service_json;
use shared::http::{json, path_param, serve, HttpResult};
use shared::App;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    serve(|request| get(&app, request)).await
}

async fn get(app: &App, request: Request) -> HttpResult {
    let caller = app.caller(&request).await?;
    let (service, viewer) = app.service_to_view(&caller, &path_param(&request, "id")?).await?;
    let mut view = service_json(&service);
    if let Viewer::Provider(_) = viewer {
        view["sharedWith"] = serde_json::Value::Null;
    }
    json(200, &view)
}
