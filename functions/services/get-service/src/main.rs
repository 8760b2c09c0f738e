//! GET /services/{id}: a service, for its commissioners and the providers it
//! was offered to. A commissioner gets the whole of its set-up in the same
//! read: its components as they stand today (with changes to come), its
//! claim windows, how far it is set up, and that commissioner's offers by state.

use serde_json::json;
use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::role::Role;
use shared::domain::service::Viewer;
use shared::domain::uk_time::uk_today;
use shared::edge::address::ServiceId;
use shared::edge::{json, HttpResult, Path};
use shared::views::catalogue::{component_json, service_json, stage_json, window_json};
use shared::App;

shared::serve_http!(get);

async fn get(app: &App, who: SignedIn, Path(id): Path<ServiceId>) -> HttpResult {
    let set_up = async {
        tokio::try_join!(
            app.store.service(&id),
            app.store.components(&id),
            app.store.windows_of(&id),
            app.store.service_shares(&id)
        )
    };
    let (caller, (found, mut components, windows, shares)) = signed_in_alongside(app, &who, set_up).await?;
    let (service, viewer) = access::catalogue::service_to_view(&app.store, &caller, found).await?;
    let mut view = service_json(&service);
    let Viewer::Commissioner(commissioner) = &viewer else {
        view["sharedWith"] = serde_json::Value::Null;
        return json(200, &view);
    };
    let offers = if *commissioner == service.commissioner {
        service.offer_counts()
    } else {
        shares
            .iter()
            .find(|share| share.is_share_for(commissioner))
            .map(|share| share.offer_counts())
            .unwrap_or_default()
    };
    let now = shared::Timestamp::now();
    let today = uk_today(now);
    components.sort_by_key(|c| c.latest().map(|v| v.definition.name.to_lowercase()));
    let set_up = stage_json(service.component_count, service.window_count, offers);
    view["stage"] = set_up["stage"].clone();
    view["offers"] = set_up["offers"].clone();
    view["administrator"] = json!(caller.holds(Role::CommissioningAdministrator, &service.commissioner));
    view["components"] =
        json!(components.iter().map(|c| component_json(&service.id, c, today, &viewer)).collect::<Vec<_>>());
    view["windows"] = json!(windows.iter().filter_map(|w| window_json(w, now)).collect::<Vec<_>>());
    json(200, &view)
}
