//! PATCH /organisations/{code}: its administrators rename an organisation or
//! switch a commissioner between single- and multi-service claims, or mark a
//! provider as claiming any time, without claim windows.

use lambda_http::Request;
use shared::access::signed_in;
use shared::domain::ods::OdsCode;
use shared::domain::organisation::OrganisationChangeForm;
use shared::edge::{json, json_body, path_param, HttpResult};
use shared::views::accounts::organisation_json;
use shared::{App, AppError};

shared::serve_http!(update; path: ["code"], query: [], body: OrganisationChangeForm);

async fn update(app: &App, request: Request) -> HttpResult {
    let caller = signed_in(app, &request).await?;
    let not_found = || AppError::NotFound("There is no organisation with this ODS code".into());
    let code = OdsCode::parse(&path_param(&request, "code")?).map_err(|_| not_found())?;
    let record = app.store.organisation_record(&code).await?.ok_or_else(not_found)?;
    caller.may_administer(&record.organisation())?;
    let change = json_body::<OrganisationChangeForm>(&request)?.validate(record.kind)?;
    let updated = app.store.update_organisation(&record, &change, &caller.user_id, shared::Timestamp::now()).await?;
    json(200, &organisation_json(&updated))
}
