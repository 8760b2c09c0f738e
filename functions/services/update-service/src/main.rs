//! PATCH /services/{id}: its commissioner's administrators rename it, describe
//! it or change which commissioners it is shared with.

use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::role::OrganisationKind;
use shared::domain::service::ServiceChangeForm;
use shared::edge::address::ServiceId;
use shared::edge::{json, Answered, Json, Path};
use shared::views::catalogue::ServiceView;
use shared::App;

shared::serve_http!(PATCH "/services/{id}" => update);

async fn update(
    app: &App, who: SignedIn, Path(id): Path<ServiceId>, form: Json<ServiceChangeForm>,
) -> Answered<ServiceView<'static>> {
    let (caller, service) = access::catalogue::open_service_to_change(app, &who, &id).await?;
    let change = form.read()?.validate(&service.commissioner)?;
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
    json(&ServiceView::of(&updated))
}
