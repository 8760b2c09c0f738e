//! GET /claims/{id}: the claim screen — the Claim ID, the Services pane (each
//! claimable service with its component count and a tick when it is in the
//! claim), the Components pane (the components of the services added) and the
//! Claim pane (the lines with units, prices, values, retainers, evidence and
//! questions, and the totals), with the claim's version and history.

use lambda_http::Request;
use shared::access;
use shared::edge::{json, path_param, HttpResult};
use shared::views::claims::claim_screen_json;
use shared::App;

shared::serve_http!(get; path: ["id"], query: [], body: );

async fn get(app: &App, request: Request) -> HttpResult {
    let (_, document, _) = access::claims::open(app, &request, &path_param(&request, "id")?).await?;
    let services = document.claim.claimable.iter().map(|c| c.service_id.clone());
    let components = access::claims::components_of(&app.store, services).await?;
    json(200, &claim_screen_json(&document, &components))
}
