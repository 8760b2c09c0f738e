//! GET /services: a commissioner's services, its own and those shared with it,
//! by financial year then name; `year` (like 2026/27) narrows to one year.
//! Each line says how far the service is set up and how this commissioner's
//! offers of it stand — all in the one read of the list, made beside the
//! caller's own account whenever the commissioner is known before it.

use lambda_http::Request;
use serde_json::json;
use shared::access::{self, signed_in_about};
use shared::domain::financial_year::FinancialYear;
use shared::domain::listing::ListOptions;
use shared::domain::role::Role;
use shared::edge::{json, query_param, query_parsed, HttpResult};
use shared::views::catalogue::service_summary_json;
use shared::App;

shared::serve_http!(list; path: [], query: ["year" => FinancialYear::parse], body: );

async fn list(app: &App, request: Request) -> HttpResult {
    let requested = query_param(&request, "commissioner");
    let choose = |caller: &shared::domain::account::Caller| {
        access::catalogue::chosen_organisation(
            caller.commissioners(),
            requested.as_deref(),
            "commissioner",
            "Services are listed for the commissioners you belong to",
        )
    };
    let cursor = query_param(&request, "cursor");
    let read = |commissioner| {
        let (request, cursor) = (&request, cursor.as_deref());
        async move {
            let year = query_parsed(request, "year", FinancialYear::parse)?;
            let options = ListOptions::parse(None, None, query_param(request, "limit").as_deref())?;
            app.store.services_of(&commissioner, year, options.limit, cursor).await
        }
    };
    let (account, commissioner, page) = signed_in_about(app, &request, choose, read).await?;
    let items: Vec<_> = page.items.iter().map(service_summary_json).collect();
    let administrator = account.caller().holds(Role::CommissioningAdministrator, &commissioner);
    json(
        200,
        &json!({ "commissioner": commissioner, "administrator": administrator, "items": items, "nextCursor": page.next_cursor }),
    )
}
