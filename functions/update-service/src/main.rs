//! PATCH /services/{id}: its commissioner's administrators rename it, describe
//! it or change which commissioners it is shared with.

use lambda_http::Request;
use shared::access::{self, signed_in_alongside};
use shared::domain::role::OrganisationKind;
use shared::domain::service::ServiceChangeForm;
use shared::edge::{json, json_body, path_param, HttpResult};
use shared::views::catalogue::service_json;
use shared::App;

shared::serve_http!(update; path: ["id"], query: [], body: ServiceChangeForm);

async fn update(app: &App, request: Request) -> HttpResult {
    let id = path_param(&request, "id")?;
    let (caller, found) = signed_in_alongside(app, &request, app.store.service(&id)).await?;
    let service = access::catalogue::service_to_change(&app.store, &caller, found).await?;
    let change = json_body::<ServiceChangeForm>(&request)?.validate(&service.commissioner)?;
    if let Some(shared_with) = &change.shared_with {
        access::catalogue::organisations_listed(
            &app.store,
            |i| format!("sharedWith/{i}"),
            shared_with,
            |org| match org.kind {
                OrganisationKind::Commissioner => Ok(()),
                _ => Err(format!("{} ({}) is not a commissioner", org.name, org.code)),
            },
        )
        .await?;
    }
    let updated = app.store.update_service(&service, &change, &caller.user_id, shared::Timestamp::now()).await?;
    json(200, &service_json(&updated))
}
