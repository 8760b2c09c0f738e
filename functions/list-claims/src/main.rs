//! GET /claims: the Claims page — a practice's claims, newest first (drafts
//! included), or a commissioner's submitted claims (never drafts), filtered by
//! status, service and period, one page at a time.

use lambda_http::Request;
use serde_json::json;
use shared::access::{self, signed_in};
use shared::domain::claim::ClaimStatus;
use shared::domain::financial_year::period_key;
use shared::domain::listing::ListOptions;
use shared::edge::{json, query_param, query_parsed, HttpResult};
use shared::store::claims::ClaimFilter;
use shared::views::claims::claim_row_json;
use shared::App;

shared::serve_http!(list; path: [], query: ["status" => ClaimStatus::parse, "period" => period_key], body: );

async fn list(app: &App, request: Request) -> HttpResult {
    let caller = signed_in(app, &request).await?;
    let filter = ClaimFilter {
        status: query_parsed(&request, "status", ClaimStatus::parse)?,
        service: query_param(&request, "service").filter(|s| !s.trim().is_empty()),
        period: query_parsed(&request, "period", period_key)?,
        provider: None,
    };
    let options = ListOptions::parse(None, None, query_param(&request, "limit").as_deref())?;
    let cursor = query_param(&request, "cursor");
    let commissioner = query_param(&request, "commissioner");
    let (list, page) = if commissioner.is_none() && !caller.providers().is_empty() {
        let provider = access::catalogue::chosen_organisation(
            caller.providers(),
            query_param(&request, "provider").as_deref(),
            "provider",
            "You can see the claims of your own practices",
        )?;
        let page = app.store.claims_of_provider(&provider, &filter, options.limit, cursor.as_deref()).await?;
        (json!({ "provider": provider }), page)
    } else {
        let commissioner = access::catalogue::chosen_organisation(
            caller.commissioners(),
            commissioner.as_deref(),
            "commissioner",
            "You can see the claims of your own practices, or of the commissioner you work for",
        )?;
        let page = app.store.claims_of_commissioner(&commissioner, &filter, options.limit, cursor.as_deref()).await?;
        (json!({ "commissioner": commissioner }), page)
    };
    let items: Vec<_> = page.items.iter().map(claim_row_json).collect();
    let mut view = list;
    view["items"] = json!(items);
    view["nextCursor"] = json!(page.next_cursor);
    json(200, &view)
}
