//! GET /payment-runs?commissioner=: a commissioner's payment runs, newest first.

use lambda_http::Request;
use serde_json::json;
use shared::access::payments::{paying_for, NOT_A_PAYER};
use shared::access::{self, signed_in};
use shared::domain::listing::ListOptions;
use shared::edge::{json, query_param, HttpResult};
use shared::views::payments::payment_run_json;
use shared::App;

shared::serve_http!(list; path: [], query: [], body: );

async fn list(app: &App, request: Request) -> HttpResult {
    let caller = signed_in(app, &request).await?;
    let commissioner = access::catalogue::chosen_organisation(
        paying_for(&caller),
        query_param(&request, "commissioner").as_deref(),
        "commissioner",
        NOT_A_PAYER,
    )?;
    let options = ListOptions::parse(None, None, query_param(&request, "limit").as_deref())?;
    let page =
        app.store.payment_runs_of(&commissioner, options.limit, query_param(&request, "cursor").as_deref()).await?;
    let items: Vec<_> = page.items.iter().map(payment_run_json).collect();
    json(200, &json!({ "commissioner": commissioner, "items": items, "nextCursor": page.next_cursor }))
}
