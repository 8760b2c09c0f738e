//! GET /invitations: an organisation's invitations still waiting to be
//! accepted, so an administrator can resend or cancel them.

use lambda_http::Request;
use serde_json::json;
use shared::domain::listing::ListOptions;
use shared::http::{json, query_param, serve, HttpResult};
use shared::store::keys;
use shared::App;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    serve(|request| list_invitations(&app, request)).await
}

async fn list_invitations(app: &App, request: Request) -> HttpResult {
    let caller = app.caller(&request).await?;
    let organisation = app.administered_organisation(&caller, query_param(&request, "organisation").as_deref()).await?;
    let options = ListOptions::parse(None, None, query_param(&request, "limit").as_deref())?;
    let cursor = query_param(&request, "cursor");
    let page = app.store.pending_invitations(&organisation.code, options.limit, cursor.as_deref()).await?;
    let now = keys::instant(jiff::Timestamp::now());
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
