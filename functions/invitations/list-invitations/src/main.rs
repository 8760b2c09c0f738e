//! GET /invitations: an organisation's invitations still waiting to be
//! accepted, so an administrator can resend or cancel them.

use serde::Deserialize;
use serde_json::json;
use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::ods::OdsCode;
use shared::edge::{json, HttpResult, Paging, Query};
use shared::App;

shared::serve_http!(list_invitations);

/// Of which organisation, how many a page and from where.
#[derive(Deserialize)]
struct Wanted {
    organisation: Option<String>,
    #[serde(flatten)]
    page: Paging,
}

async fn list_invitations(app: &App, who: SignedIn, query: Query<Wanted>) -> HttpResult {
    let requested = query.read().ok().and_then(|wanted| wanted.organisation);
    let page = |code: OdsCode| {
        let query = &query;
        async move {
            let wanted = query.read()?;
            let size = wanted.page.size()?;
            app.store.pending_invitations(&code, size, wanted.page.cursor()).await
        }
    };
    let (_, organisation, page) =
        access::organisations::administered_list(app, &who, requested.as_deref(), page).await?;
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
