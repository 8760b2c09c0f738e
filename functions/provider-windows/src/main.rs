//! GET /providers/{code}/windows: when a provider can claim — the windows of
//! every service it accepted, each upcoming, open, closed (claimed) or missed.
//! A provider without claim windows claims any time and has none.

use lambda_http::Request;
use serde_json::json;
use shared::access::{self, signed_in_alongside};
use shared::domain::claim_window::WindowState;
use shared::edge::{json, path_param, query_parsed, HttpResult};
use shared::views::catalogue::provider_window_json;
use shared::{App, AppError};

shared::serve_http!(list; path: ["code"], query: ["state" => WindowState::parse], body: );

async fn list(app: &App, request: Request) -> HttpResult {
    let code = path_param(&request, "code")?;
    let (caller, found) =
        signed_in_alongside(app, &request, access::catalogue::provider_named(&app.store, &code)).await?;
    let provider = access::catalogue::provider_visible(&caller, found.as_ref())?;
    let wanted = query_parsed(&request, "state", WindowState::parse)?;
    let provider_view = json!({"code": provider.code, "name": provider.name});
    if provider.claims_any_time {
        return json(200, &json!({ "provider": provider_view, "claimsAnyTime": true, "items": [] }));
    }
    let services = access::catalogue::accepted_services(&app.store, &provider.code).await?;
    let mut reads = tokio::task::JoinSet::new();
    for service in &services {
        let store = app.store.clone();
        let id = service.id.clone();
        reads.spawn(async move { store.windows_of(&id).await });
    }
    let claimed = app.store.claims_made_by(&provider.code).await?;
    let mut windows = Vec::new();
    while let Some(read) = reads.join_next().await {
        let read = read.map_err(|e| AppError::Internal(format!("reading windows: {e}")))?;
        windows.extend(read?);
    }
    let now = shared::Timestamp::now();
    let mut items: Vec<_> = windows
        .iter()
        .filter_map(|record| {
            let service = services.iter().find(|s| s.id == record.service_id)?;
            let window = record.window()?;
            let was_claimed = claimed.contains(&(record.service_id.clone(), record.period_key.clone()));
            let state = window.state(now, was_claimed);
            wanted
                .is_none_or(|w| w == state)
                .then(|| (window.opens_at, provider_window_json(service, &window, now, was_claimed)))
        })
        .collect();
    items.sort_by_key(|(opens, _)| *opens);
    let items: Vec<_> = items.into_iter().map(|(_, view)| view).collect();
    json(200, &json!({ "provider": provider_view, "claimsAnyTime": false, "items": items }))
}
