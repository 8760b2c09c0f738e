//! POST /users/{id}/memberships/{organisationCode}/enable: gives back access to
//! an organisation that was revoked, after confirmation.

use lambda_http::Request;
use shared::http::{serve, HttpResult};
use shared::mail::templates;
use shared::App;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    serve(|request| enable(&app, request)).await
}

async fn enable(app: &App, request: Request) -> HttpResult {
    let change = app.membership_change(&request, "give this access back").await?;
    let next = change.membership.status.enable().map_err(|refused| change.conflict(refused))?;
    change.apply(app, next, templates::access_enabled).await
}
