//! GET /services/{id}/components: a service's components as they stand today,
//! with changes still to come. Providers see their own prices.

use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::uk_time::uk_today;
use shared::edge::address::ServiceId;
use shared::edge::{json, Answered, Path};
use shared::views::catalogue::{ComponentView, OfService, ServiceName};
use shared::App;

shared::serve_http!(GET "/services/{id}/components" => list);

async fn list(
    app: &App, who: SignedIn, Path(id): Path<ServiceId>,
) -> Answered<OfService<'static, ComponentView<'static>>> {
    // The service and its components are read with the caller's account; shown only if the caller may see it.
    let named = async { tokio::try_join!(app.store.service(&id), app.store.components(&id)) };
    let (caller, (found, mut components)) = signed_in_alongside(app, &who, named).await?;
    let (service, viewer) = access::catalogue::service_to_view(&app.store, &caller, found).await?;
    let today = uk_today(shared::Timestamp::now());
    components.sort_by_key(|c| c.latest().map(|v| v.definition.name.to_lowercase()));
    let items: Vec<_> = components.iter().map(|c| ComponentView::of(&service.id, c, today, &viewer)).collect();
    json(&OfService { service: ServiceName { id: &service.id, name: &service.name }, items })
}
