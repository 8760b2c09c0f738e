//! GET /me: My Profile — the caller's details, account status and memberships.

use lambda_http::Request;
use shared::http::{json, serve, HttpResult};
use shared::views::ProfileView;
use shared::App;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    serve(|request| me(&app, request)).await
}

async fn me(app: &App, request: Request) -> HttpResult {
    let account = app.signed_in_account(&request).await?;
    json(200, &ProfileView::from(&account))
}
