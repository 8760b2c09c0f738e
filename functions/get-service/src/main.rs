//! GET /services/{id}: a service, for its commissioners and the providers it was offered to.

use lambda_http::Request;
use shared::access::{self, signed_in_alongside};
use shared::domain::service::Viewer;
use shared::edge::{json, path_param, HttpResult};
use shared::views::catalogue::service_json;
use shared::App;

shared::serve_http!(get; path: ["id"], query: [], body: );

async fn get(app: &App, request: Request) -> HttpResult {
    let id = path_param(&request, "id")?;
    let (caller, found) = signed_in_alongside(app, &request, app.store.service(&id)).await?;
    let (service, viewer) = access::catalogue::service_to_view(&app.store, &caller, found).await?;
    let mut view = service_json(&service);
    if let Viewer::Provider(_) = viewer {
        view["sharedWith"] = serde_json::Value::Null;
    }
    json(200, &view)
}
