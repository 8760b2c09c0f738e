//! GET /services: a commissioner's services, its own and those shared with it,
//! by financial year then name; `year` (like 2026/27) narrows to one year.

use lambda_http::Request;
use serde_json::json;
use shared::access::{self, signed_in};
use shared::domain::financial_year::FinancialYear;
use shared::domain::listing::ListOptions;
use shared::domain::role::Role;
use shared::edge::{json, query_param, query_parsed, HttpResult};
use shared::views::catalogue::service_summary_json;
use shared::App;

shared::serve_http!(list; path: [], query: ["year" => FinancialYear::parse], body: );

async fn list(app: &App, request: Request) -> HttpResult {
    let caller = signed_in(app, &request).await?;
    let commissioner = access::catalogue::chosen_organisation(
        caller.commissioners(),
        query_param(&request, "commissioner").as_deref(),
        "commissioner",
        "Services are listed for the commissioners you belong to",
    )?;
    let year = query_parsed(&request, "year", FinancialYear::parse)?;
    let options = ListOptions::parse(None, None, query_param(&request, "limit").as_deref())?;
    let cursor = query_param(&request, "cursor");
    let page = app.store.services_of(&commissioner, year, options.limit, cursor.as_deref()).await?;
    let items: Vec<_> = page.items.iter().map(service_summary_json).collect();
    let administrator = caller.holds(Role::CommissioningAdministrator, &commissioner);
    json(
        200,
        &json!({ "commissioner": commissioner, "administrator": administrator, "items": items, "nextCursor": page.next_cursor }),
    )
}
