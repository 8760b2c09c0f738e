//! POST /me/disable: a person disables their own account (they no longer need
//! access), with a reason. Their data is kept.

use lambda_http::Request;
use shared::domain::lifecycle::DisableForm;
use shared::http::{json_body, serve, HttpResult};
use shared::App;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    serve(|request| disable_own(&app, request)).await
}

async fn disable_own(app: &App, request: Request) -> HttpResult {
    let view = app.signed_in_account(&request).await?;
    let reason = json_body::<DisableForm>(&request)?.validate()?;
    app.disable_account(&view, &reason, &view.account.user_id).await
}
