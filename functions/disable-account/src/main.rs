//! POST /users/{id}/disable: an administrator disables a person's whole account,
//! with a reason ("Other" needs up to 250 characters of detail). Sign-in stops,
//! every request is refused, and all their data is kept for audit.

use lambda_http::Request;
use shared::domain::authority::Refusal;
use shared::domain::lifecycle::DisableForm;
use shared::http::{json_body, path_param, serve, HttpResult};
use shared::App;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    serve(|request| disable(&app, request)).await
}

async fn disable(app: &App, request: Request) -> HttpResult {
    let caller = app.caller(&request).await?;
    let id = path_param(&request, "id")?;
    if id == caller.user_id {
        return Err(Refusal::OwnAccess.into());
    }
    let (view, _) = app.managed_user(&caller, &id).await?;
    let reason = json_body::<DisableForm>(&request)?.validate()?;
    app.disable_account(&view, &reason, &caller.user_id).await
}
