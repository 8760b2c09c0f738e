//! GET /audit: an administrator reads the audit trail of an organisation they
//! administer — who did what, when, before and after — filtered by user, action
//! and dates, newest first, one page at a time.

use lambda_http::Request;
use serde_json::json;
use shared::access::{self, signed_in_about};
use shared::domain::account::Caller;
use shared::domain::audit_query::AuditQuery;
use shared::domain::listing::ListOptions;
use shared::domain::ods::OdsCode;
use shared::edge::{json, query_param, HttpResult};
use shared::{App, AppError};
use std::sync::OnceLock;

shared::serve_http!(list_audit; path: [], query: [], body: );

async fn list_audit(app: &App, request: Request) -> HttpResult {
    let requested = query_param(&request, "organisation");
    // Read from the query once the token is verified (a refused request never
    // parses its dates, nor loads the time-zone rules they need).
    let asked = OnceLock::new();
    let wanted_now = || asked.get_or_init(|| wanted(&request));
    let cursor = query_param(&request, "cursor");
    // The organisation and the first page of its trail, read beside the
    // caller's own account when the organisation is known (asked for, or
    // theirs last time).
    let read = |code: OdsCode| {
        let wanted = wanted_now().as_ref().ok();
        let cursor = cursor.as_deref();
        async move {
            let page = async {
                match wanted {
                    Some((query, limit)) => Ok(Some(app.store.audit_trail(&code, query, *limit, cursor).await?)),
                    None => Ok(None),
                }
            };
            tokio::try_join!(app.store.organisation(&code), page)
        }
    };
    let choose = |caller: &Caller| access::organisations::administered_code(caller, requested.as_deref());
    let (account, code, (found, page)) = signed_in_about(app, &request, choose, read).await?;
    let organisation = access::organisations::administered(&account.caller(), &code, found)?;
    asked.into_inner().unwrap_or_else(|| wanted(&request))?;
    let page = page.ok_or_else(|| AppError::Internal("the audit trail was not read".into()))?;
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
