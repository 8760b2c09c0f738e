//! POST /services/{id}/components: adds a component (how it is paid, the
//! evidence and answers it needs, any provider prices) as its version 1.
//! The same request sent again with its `Idempotency-Key` is answered with
//! what the first made; the key sent with another request is refused.

use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::component_form::ComponentForm;
use shared::domain::component_version::{first_version_from, ComponentVersion};
use shared::domain::service::Viewer;
use shared::domain::uk_time::uk_today;
use shared::edge::address::ServiceId;
use shared::edge::{json, Answered, IdempotencyKey, Json, Path};
use shared::store::components::{Component, Written};
use shared::store::requests::{made_is_gone, Keyed};
use shared::views::catalogue::ComponentView;
use shared::{App, AppError};

shared::serve_http!(POST "/services/{id}/components" => add);

async fn add(
    app: &App, who: SignedIn, Path(id): Path<ServiceId>, key: IdempotencyKey, form: Json<ComponentForm>,
) -> Answered<ComponentView<'static>, 201> {
    let key = key.key()?;
    let (caller, service) = access::catalogue::open_service_to_change(app, &who, &id).await?;
    let route = format!("POST /services/{}/components", service.id);
    let keyed = Keyed::new(&caller.user_id, key, &route, &form.fingerprint());
    let valid = form.read()?.validate()?;
    let effective_from = first_version_from(valid.effective_from, service.financial_year)
        .map_err(|detail| AppError::invalid_field("effectiveFrom", detail))?;
    access::catalogue::tariff_providers_known(&app.store, &service, &valid.definition).await?;
    let id = uuid::Uuid::now_v7().to_string();
    let version = ComponentVersion { version: 1, effective_from, definition: valid.definition };
    let now = shared::Timestamp::now();
    let service_id = service.id.as_str();
    let component = app
        .store
        .create_once(
            &keyed,
            || async {
                let first = version.clone();
                app.store.write_component_version(&service, &id, first, Written::New(Some(&keyed)), &caller.user_id, now).await?;
                Ok(Component { id: id.clone(), versions: vec![version.clone()] })
            },
            |made| async move {
                app.store.component(service_id, &made).await?.ok_or_else(|| made_is_gone("component"))
            },
        )
        .await?;
    let viewer = Viewer::Commissioner(service.commissioner.clone());
    json(&ComponentView::of(&service.id, &component, uk_today(now), &viewer))
}
