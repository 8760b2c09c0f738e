//! GET /audit: an administrator reads the audit trail of an organisation they
//! administer — who did what, when, before and after — filtered by user, action
//! and dates, newest first, one page at a time.

use lambda_http::Request;
use serde_json::json;
use shared::access::{self, signed_in_alongside};
use shared::domain::audit_query::AuditQuery;
use shared::domain::listing::ListOptions;
use shared::edge::{json, query_param, HttpResult};
use shared::App;

shared::serve_http!(list_audit; path: [], query: [], body: );

async fn list_audit(app: &App, request: Request) -> HttpResult {
    let requested = query_param(&request, "organisation");
    let asked = access::organisations::organisation_asked_for(&app.store, requested.as_deref());
    let (caller, asked) = signed_in_alongside(app, &request, asked).await?;
    let organisation = access::organisations::administered_organisation(&app.store, &caller, requested, asked).await?;
    let query = AuditQuery::parse(
        query_param(&request, "user").as_deref(),
        query_param(&request, "action").as_deref(),
        query_param(&request, "from").as_deref(),
        query_param(&request, "to").as_deref(),
    )?;
    let options = ListOptions::parse(None, None, query_param(&request, "limit").as_deref())?;
    let cursor = query_param(&request, "cursor");
    let page = app.store.audit_trail(&organisation.code, &query, options.limit, cursor.as_deref()).await?;
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
