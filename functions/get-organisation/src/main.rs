//! GET /organisations/{code}: an organisation, for its members and administrators.

use lambda_http::Request;
use shared::access::signed_in;
use shared::domain::account::MembershipStatus;
use shared::domain::ods::OdsCode;
use shared::edge::{json, path_param, HttpResult};
use shared::views::accounts::organisation_json;
use shared::{App, AppError};

shared::serve_http!(get; path: ["code"], query: [], body: );

async fn get(app: &App, request: Request) -> HttpResult {
    let caller = signed_in(app, &request).await?;
    let not_found = || AppError::NotFound("There is no organisation with this ODS code among yours".into());
    let code = OdsCode::parse(&path_param(&request, "code")?).map_err(|_| not_found())?;
    let record = app.store.organisation_record(&code).await?.ok_or_else(not_found)?;
    let member = caller.memberships.iter().any(|m| m.organisation_code == code && m.status == MembershipStatus::Active);
    if !member && !caller.administers(&record.organisation()) {
        return Err(not_found());
    }
    json(200, &organisation_json(&record))
}
