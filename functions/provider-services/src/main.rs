//! GET /providers/{code}/services: what a provider can claim for — the services
//! it accepted, each with how many components it has (the Services pane).

use lambda_http::Request;
use serde_json::json;
use shared::access::{self, signed_in_alongside};
use shared::domain::financial_year::FinancialYear;
use shared::domain::ods::OdsCode;
use shared::domain::offer::offer_id;
use shared::edge::{json, path_param, query_parsed, HttpResult};
use shared::App;

shared::serve_http!(list; path: ["code"], query: ["year" => FinancialYear::parse], body: );

async fn list(app: &App, request: Request) -> HttpResult {
    let code = path_param(&request, "code")?;
    // The practice and its offers are read with the caller's account.
    let named = async {
        match OdsCode::parse(&code) {
            Ok(code) => tokio::try_join!(app.store.organisation_record(&code), app.store.offers_to(&code)),
            Err(_) => Ok((None, Vec::new())),
        }
    };
    let (caller, (found, offers)) = signed_in_alongside(app, &request, named).await?;
    let provider = access::catalogue::provider_visible(&caller, found.as_ref())?;
    let year = query_parsed(&request, "year", FinancialYear::parse)?;
    let mut services = access::catalogue::services_accepted(&app.store, offers).await?;
    services.retain(|s| year.is_none_or(|y| s.financial_year == y));
    services.sort_by_key(|s| (s.financial_year, s.name.to_lowercase()));
    let items: Vec<_> = services
        .iter()
        .map(|s| {
            json!({
                "id": s.id,
                "name": s.name,
                "description": s.description,
                "commissioner": s.commissioner,
                "financialYear": s.financial_year,
                "claimPeriods": s.claim_periods,
                "componentCount": s.component_count,
                "offerId": offer_id(&s.id, &provider.code),
            })
        })
        .collect();
    json(
        200,
        &json!({ "provider": {"code": provider.code, "name": provider.name}, "claimsAnyTime": provider.claims_any_time, "items": items }),
    )
}
