//! GET /invitations: an organisation's invitations still waiting to be
//! accepted, so an administrator can resend or cancel them.

use lambda_http::Request;
use serde_json::json;
use shared::access::{self, signed_in_alongside};
use shared::domain::listing::ListOptions;
use shared::edge::{json, query_param, HttpResult};
use shared::App;

shared::serve_http!(list_invitations; path: [], query: [], body: );

async fn list_invitations(app: &App, request: Request) -> HttpResult {
    let requested = query_param(&request, "organisation");
    let asked = access::organisations::organisation_asked_for(&app.store, requested.as_deref());
    let (caller, asked) = signed_in_alongside(app, &request, asked).await?;
    let organisation = access::organisations::administered_organisation(&app.store, &caller, requested, asked).await?;
    let options = ListOptions::parse(None, None, query_param(&request, "limit").as_deref())?;
    let cursor = query_param(&request, "cursor");
    let page = app.store.pending_invitations(&organisation.code, options.limit, cursor.as_deref()).await?;
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
