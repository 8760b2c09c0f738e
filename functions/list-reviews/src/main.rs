//! GET /reviews?stage=tier1|tier2|finance|provider: a reviewer's work list —
//! the claims waiting for a decision at that stage for the caller's
//! commissioner (for `provider`, the caller's own practice), oldest first,
//! with practice, services, period, total, submitted date and days waiting.
//! Filtered by `service`, `period` and `provider`; one page at a time from the
//! sparse work-list index (no Scan).

use lambda_http::Request;
use serde_json::json;
use shared::access::{self, signed_in};
use shared::domain::financial_year::period_key;
use shared::domain::listing::ListOptions;
use shared::domain::ods::OdsCode;
use shared::domain::review::Stage;
use shared::edge::{json, query_param, query_parsed, HttpResult};
use shared::store::claims::ClaimFilter;
use shared::views::claims::waiting_row_json;
use shared::{App, AppError, Timestamp};

shared::serve_http!(list; path: [], query: ["stage" => Stage::parse, "period" => period_key], body: );

async fn list(app: &App, request: Request) -> HttpResult {
    let caller = signed_in(app, &request).await?;
    let stage = query_parsed(&request, "stage", Stage::parse)?
        .ok_or_else(|| AppError::invalid_field("stage", "Choose a work list: tier1, tier2, finance or provider"))?;
    let role = stage.role();
    let holding: Vec<OdsCode> = caller.organisations_with(role).into_iter().cloned().collect();
    let refusal = format!("Only people with the {} role see the claims waiting for {}", role.label(), stage.label());
    let (organisation_param, provider_filter) = if stage.decided_by_provider() {
        ("provider", None)
    } else {
        ("commissioner", query_param(&request, "provider"))
    };
    let organisation = access::catalogue::chosen_organisation(
        holding,
        query_param(&request, organisation_param).as_deref(),
        organisation_param,
        &refusal,
    )?;
    let provider = provider_filter
        .filter(|p| !p.trim().is_empty())
        .map(|raw| OdsCode::parse(&raw).map_err(|detail| AppError::invalid_field("provider", detail)))
        .transpose()?;
    let filter = ClaimFilter {
        status: None,
        service: query_param(&request, "service").filter(|s| !s.trim().is_empty()),
        period: query_parsed(&request, "period", period_key)?,
        provider,
    };
    let options = ListOptions::parse(None, None, query_param(&request, "limit").as_deref())?;
    let page = app
        .store
        .claims_waiting(stage, &organisation, &filter, options.limit, query_param(&request, "cursor").as_deref())
        .await?;
    let now = Timestamp::now();
    let items: Vec<_> = page.items.iter().map(|claim| waiting_row_json(claim, now)).collect();
    let mut view = json!({
        "stage": stage.code(),
        "stageLabel": stage.label(),
        "items": items,
        "nextCursor": page.next_cursor,
    });
    view[organisation_param] = json!(organisation);
    json(200, &view)
}
