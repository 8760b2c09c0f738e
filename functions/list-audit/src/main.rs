//! GET /audit: an administrator reads the audit trail of an organisation they
//! administer — who did what, when, before and after — filtered by user, action
//! and dates, newest first, one page at a time.

use lambda_http::Request;
use serde_json::json;
use shared::access;
use shared::domain::audit_query::AuditQuery;
use shared::domain::listing::ListOptions;
use shared::domain::ods::OdsCode;
use shared::edge::{json, query_param, HttpResult};
use shared::{App, AppError};

shared::serve_http!(list_audit; path: [], query: [], body: );

async fn list_audit(app: &App, request: Request) -> HttpResult {
    let cursor = query_param(&request, "cursor");
    // The first page of the trail: its query is read once the token is verified
    // (a refused request never parses dates, nor loads the time-zone rules).
    let page = |code: OdsCode| {
        let cursor = cursor.as_deref();
        let request = &request;
        async move {
            let (query, limit) = wanted(request)?;
            app.store.audit_trail(&code, &query, limit, cursor).await
        }
    };
    let (_, organisation, page) = access::organisations::administered_list(app, &request, page).await?;
    let items: Vec<_> = page
        .items
        .iter()
        .map(|a| {
            json!({
                "id": a.id,
                "at": a.at,
                "actor": a.actor,
                "action": a.action,
                "target": a.target,
                "before": a.before,
                "after": a.after,
            })
        })
        .collect();
    json(
        200,
        &json!({
            "organisation": { "code": organisation.code, "name": organisation.name },
            "items": items,
            "nextCursor": page.next_cursor,
        }),
    )
}

/// The entries asked for (by person, action and dates) and how many a page.
fn wanted(request: &Request) -> Result<(AuditQuery, i32), AppError> {
    let query = AuditQuery::parse(
        query_param(request, "user").as_deref(),
        query_param(request, "action").as_deref(),
        query_param(request, "from").as_deref(),
        query_param(request, "to").as_deref(),
    )?;
    let options = ListOptions::parse(None, None, query_param(request, "limit").as_deref())?;
    Ok((query, options.limit))
}
