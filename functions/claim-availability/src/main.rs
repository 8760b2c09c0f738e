//! GET /providers/{code}/claims/availability: whether the Claims page offers
//! +New Claim, what can be claimed now (service, period, when its window
//! closes), and when nothing can, which of the guides' reasons applies.

use lambda_http::Request;
use serde_json::json;
use shared::access::{self, signed_in};
use shared::edge::{json, path_param, HttpResult};
use shared::App;

shared::serve_http!(availability; path: ["code"], query: [], body: );

async fn availability(app: &App, request: Request) -> HttpResult {
    let caller = signed_in(app, &request).await?;
    let provider = access::catalogue::provider_in_view(&app.store, &caller, &path_param(&request, "code")?).await?;
    let now = jiff::Timestamp::now();
    let found = access::claims::claimable_now(&app.store, &provider, now).await?.availability;
    json(
        200,
        &json!({
            "provider": { "code": provider.code, "name": provider.name },
            "claimsAnyTime": provider.claims_any_time,
            "canStartClaim": found.can_start_claim,
            "claimable": found.claimable,
            "reasons": found.reasons,
        }),
    )
}
