//! GET /services/{id}/windows: a service's claim windows in order, each open,
//! upcoming or closed by the clock, with (for its commissioners) the providers
//! recorded as missing it.

use lambda_http::Request;
use serde_json::json;
use shared::access::{self, signed_in_alongside};
use shared::domain::service::Viewer;
use shared::edge::{json, path_param, HttpResult};
use shared::views::catalogue::window_json;
use shared::App;

shared::serve_http!(list; path: ["id"], query: [], body: );

async fn list(app: &App, request: Request) -> HttpResult {
    let id = path_param(&request, "id")?;
    // The service and its windows are read with the caller's account; shown only if the caller may see it.
    let named = async { tokio::try_join!(app.store.service(&id), app.store.windows_of(&id)) };
    let (caller, (found, mut windows)) = signed_in_alongside(app, &request, named).await?;
    let (service, viewer) = access::catalogue::service_to_view(&app.store, &caller, found).await?;
    let now = shared::Timestamp::now();
    windows.sort_by_key(|w| w.opens_at);
    let mut items: Vec<_> = windows.iter().filter_map(|w| window_json(w, now)).collect();
    if let Viewer::Provider(_) = viewer {
        // Who missed a window is the commissioner's business, not other practices'.
        for item in &mut items {
            if let Some(view) = item.as_object_mut() {
                view.remove("missed");
            }
        }
    }
    json(
        200,
        &json!({ "service": {"id": service.id, "name": service.name, "claimPeriods": service.claim_periods}, "items": items }),
    )
}
