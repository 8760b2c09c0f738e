//! POST /users/{id}/memberships/{organisationCode}/revoke: the red Revoke button —
//! removes all access to that organisation, after confirmation. The person can
//! still sign in to My Profile. The last active administrator cannot be revoked.

use lambda_http::Request;
use shared::domain::account::MembershipStatus;
use shared::http::{serve, HttpResult};
use shared::mail::templates;
use shared::App;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    serve(|request| revoke(&app, request)).await
}

async fn revoke(app: &App, request: Request) -> HttpResult {
    let change = app.membership_change(&request, "revoke this access").await?;
    let next = change.membership.status.revoke().map_err(|refused| change.conflict(refused))?;
    debug_assert_eq!(next, MembershipStatus::Revoked);
    change.apply(app, next, templates::access_revoked).await
}
