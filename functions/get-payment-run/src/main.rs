//! GET /payment-runs/{id}?provider=&limit=&cursor=: a payment run — its status,
//! payment date, totals by practice — and a page of its claims with their
//! lines (one practice's, with `provider`).

use lambda_http::Request;
use serde_json::json;
use shared::access::payments;
use shared::domain::listing::ListOptions;
use shared::domain::ods::OdsCode;
use shared::edge::{json, path_param, query_param, HttpResult};
use shared::views::payments::{payment_run_json, run_claim_json};
use shared::{App, AppError};

shared::serve_http!(get; path: ["id"], query: [], body: );

async fn get(app: &App, request: Request) -> HttpResult {
    let (_, run) = payments::open(app, &request, &path_param(&request, "id")?).await?;
    let provider = query_param(&request, "provider")
        .filter(|p| !p.trim().is_empty())
        .map(|raw| OdsCode::parse(&raw).map_err(|detail| AppError::invalid_field("provider", detail)))
        .transpose()?;
    let options = ListOptions::parse(None, None, query_param(&request, "limit").as_deref())?;
    let page = app
        .store
        .run_claims_page(&run.id, provider.as_ref(), options.limit, query_param(&request, "cursor").as_deref())
        .await?;
    let mut view = payment_run_json(&run);
    view["items"] = json!(page.items.iter().map(run_claim_json).collect::<Vec<_>>());
    view["nextCursor"] = json!(page.next_cursor);
    json(200, &view)
}
