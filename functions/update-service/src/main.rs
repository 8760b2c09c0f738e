//! PATCH /services/{id}: its commissioner's administrators rename it, describe
//! it or change which commissioners it is shared with.

use lambda_http::Request;
use shared::catalogue_views::service_json;
use shared::domain::role::OrganisationKind;
use shared::domain::service::ServiceChangeForm;
use shared::http::{json, json_body, path_param, serve, HttpResult};
use shared::App;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    serve(|request| update(&app, request)).await
}

async fn update(app: &App, request: Request) -> HttpResult {
    let caller = app.caller(&request).await?;
    let service = app.service_to_change(&caller, &path_param(&request, "id")?).await?;
    let change = json_body::<ServiceChangeForm>(&request)?.validate(&service.commissioner)?;
    if let Some(shared_with) = &change.shared_with {
        app.organisations_listed(
            |i| format!("sharedWith/{i}"),
            shared_with,
            |org| match org.kind {
                OrganisationKind::Commissioner => Ok(()),
                _ => Err(format!("{} ({}) is not a commissioner", org.name, org.code)),
            },
        )
        .await?;
    }
    let updated = app.store.update_service(&service, &change, &caller.user_id, jiff::Timestamp::now()).await?;
    json(200, &service_json(&updated))
}
