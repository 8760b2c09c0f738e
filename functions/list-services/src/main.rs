//! GET /services: a commissioner's services, its own and those shared with it,
//! by financial year then name; `year` (like 2026/27) narrows to one year.

use lambda_http::Request;
use serde_json::json;
use shared::catalogue_views::service_summary_json;
use shared::domain::financial_year::FinancialYear;
use shared::domain::listing::ListOptions;
use shared::domain::role::Role;
use shared::http::{json, query_param, query_parsed, serve, HttpResult};
use shared::App;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    serve(|request| list(&app, request)).await
}

async fn list(app: &App, request: Request) -> HttpResult {
    let caller = app.caller(&request).await?;
    let commissioner = app.chosen_organisation(
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
