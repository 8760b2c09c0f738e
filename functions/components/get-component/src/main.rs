//! GET /services/{id}/components/{componentId}: a component with every version,
//! so what an earlier claim was made against can always be read.

use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::uk_time::uk_today;
use shared::edge::address::{ComponentId, ServiceId};
use shared::edge::{json, Answered, Path};
use shared::views::catalogue::ComponentHistory;
use shared::{App, AppError};

shared::serve_http!(GET "/services/{id}/components/{componentId}" => get);

async fn get(
    app: &App, who: SignedIn, Path((id, component_id)): Path<(ServiceId, ComponentId)>,
) -> Answered<ComponentHistory<'static>> {
    // The service and the component are read with the caller's account; shown only if the caller may see it.
    let named = async { tokio::try_join!(app.store.service(&id), app.store.component(&id, &component_id)) };
    let (caller, (found, component)) = signed_in_alongside(app, &who, named).await?;
    let (service, viewer) = access::catalogue::service_to_view(&app.store, &caller, found).await?;
    let component =
        component.ok_or_else(|| AppError::NotFound("This service has no component with this reference".into()))?;
    json(&ComponentHistory::of(&service.id, &component, uk_today(shared::Timestamp::now()), &viewer))
}
