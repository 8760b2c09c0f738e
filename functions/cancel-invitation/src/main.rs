//! DELETE /invitations/{id}: withdraws a pending invitation; its link stops working.

use lambda_http::Request;
use serde_json::json;
use shared::http::{json, path_param, serve, HttpResult};
use shared::{App, AppError};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    serve(|request| cancel(&app, request)).await
}

async fn cancel(app: &App, request: Request) -> HttpResult {
    let caller = app.caller(&request).await?;
    let id = path_param(&request, "id")?;
    let invitation = app.manageable_invitation(&caller, &id).await?;
    invitation.status.cancel().map_err(|refused| AppError::conflict("invitation-closed", refused.0))?;
    app.store.cancel_invitation(&invitation, &caller.user_id, jiff::Timestamp::now()).await?;
    json(200, &json!({ "id": invitation.id, "status": "cancelled" }))
}
