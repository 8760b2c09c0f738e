//! GET /invitations: an organisation's invitations still waiting to be
//! accepted, so an administrator can resend or cancel them.

use lambda_http::Request;
use serde_json::json;
use shared::access;
use shared::domain::listing::ListOptions;
use shared::domain::ods::OdsCode;
use shared::edge::{json, query_param, HttpResult};
use shared::App;

shared::serve_http!(list_invitations; path: [], query: [], body: );

async fn list_invitations(app: &App, request: Request) -> HttpResult {
    let cursor = query_param(&request, "cursor");
    let page = |code: OdsCode| {
        let cursor = cursor.as_deref();
        let request = &request;
        async move {
            let options = ListOptions::parse(None, None, query_param(request, "limit").as_deref())?;
            app.store.pending_invitations(&code, options.limit, cursor).await
        }
    };
    let (_, organisation, page) = access::organisations::administered_list(app, &request, page).await?;
    let now = shared::Timestamp::now();
    let items: Vec<_> = page
        .items
        .iter()
        .map(|i| {
            json!({
                "id": i.id,
                "email": i.email,
                "firstName": i.first_name,
                "lastName": i.last_name,
                "role": { "code": i.role, "label": i.role.label() },
                "sentAt": i.created_at,
                "expiresAt": i.expires_at,
                "expired": i.expires_at <= now,
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
