//! POST /services: a commissioner's administrator sets up a service for a
//! financial year, claimed monthly or quarterly, optionally shared with other
//! commissioners.

use lambda_http::Request;
use shared::catalogue_views::service_json;
use shared::domain::role::{OrganisationKind, Role};
use shared::domain::service::ServiceForm;
use shared::http::{json, json_body, serve, HttpResult};
use shared::App;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    serve(|request| create(&app, request)).await
}

async fn create(app: &App, request: Request) -> HttpResult {
    let caller = app.caller(&request).await?;
    let form = json_body::<ServiceForm>(&request)?;
    let candidates = caller.organisations_with(Role::CommissioningAdministrator).into_iter().cloned().collect();
    let owner = app.chosen_organisation(
        candidates,
        form.commissioner.as_deref(),
        "commissioner",
        "Only a commissioner's Commissioning Administrators set up its services",
    )?;
    let new = form.validate(&owner)?;
    app.organisations_listed(
        |i| format!("sharedWith/{i}"),
        &new.shared_with,
        |org| match org.kind {
            OrganisationKind::Commissioner => Ok(()),
            _ => Err(format!("{} ({}) is not a commissioner", org.name, org.code)),
        },
    )
    .await?;
    let service = app.store.create_service(&owner, &new, &caller.user_id, jiff::Timestamp::now()).await?;
    tracing::info!(service = %service.id, commissioner = %owner, "service created");
    json(201, &service_json(&service))
}
