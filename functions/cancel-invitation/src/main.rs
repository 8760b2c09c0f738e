//! DELETE /invitations/{id}: withdraws a pending invitation; its link stops working.

use lambda_http::Request;
use serde_json::json;
use shared::access::{self, signed_in_alongside};
use shared::edge::{json, path_param, HttpResult};
use shared::{App, AppError};

shared::serve_http!(cancel; path: ["id"], query: [], body: );

async fn cancel(app: &App, request: Request) -> HttpResult {
    let id = path_param(&request, "id")?;
    let (caller, found) = signed_in_alongside(app, &request, app.store.invitation(&id)).await?;
    let invitation = access::organisations::manageable_invitation(&app.store, &caller, found).await?;
    invitation.status.cancel().map_err(|refused| AppError::conflict("invitation-closed", refused.0))?;
    app.store.cancel_invitation(&invitation, &caller.user_id, shared::Timestamp::now()).await?;
    json(200, &json!({ "id": invitation.id, "status": "cancelled" }))
}
