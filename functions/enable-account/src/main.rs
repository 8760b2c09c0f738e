//! POST /users/{id}/enable: the blue Enable Account button — a disabled account
//! works again, after confirmation.

use lambda_http::Request;
use shared::domain::access_request::ConfirmForm;
use shared::domain::authority::Refusal;
use shared::http::{json_body, path_param, serve, HttpResult};
use shared::App;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    serve(|request| enable(&app, request)).await
}

async fn enable(app: &App, request: Request) -> HttpResult {
    let caller = app.caller(&request).await?;
    let id = path_param(&request, "id")?;
    if id == caller.user_id {
        return Err(Refusal::OwnAccess.into());
    }
    let (view, _) = app.managed_user(&caller, &id).await?;
    json_body::<ConfirmForm>(&request)?.require("enable this account")?;
    app.enable_account(&view, &caller.user_id).await
}
