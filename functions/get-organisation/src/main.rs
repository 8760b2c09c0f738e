//! GET /organisations/{code}: an organisation, for its members and administrators.

use lambda_http::Request;
use shared::domain::account::MembershipStatus;
use shared::domain::ods::OdsCode;
use shared::http::{json, path_param, serve, HttpResult};
use shared::views::organisation_json;
use shared::{App, AppError};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    serve(|request| get(&app, request)).await
}

async fn get(app: &App, request: Request) -> HttpResult {
    let caller = app.caller(&request).await?;
    let not_found = || AppError::NotFound("There is no organisation with this ODS code among yours".into());
    let code = OdsCode::parse(&path_param(&request, "code")?).map_err(|_| not_found())?;
    let record = app.store.organisation_record(&code).await?.ok_or_else(not_found)?;
    let member = caller.memberships.iter().any(|m| m.organisation_code == code && m.status == MembershipStatus::Active);
    if !member && !caller.administers(&record.organisation()) {
        return Err(not_found());
    }
    json(200, &organisation_json(&record))
}
