//! GET /services/{id}: a service, for its commissioners and the providers it
//! was offered to. A commissioner gets the whole of its set-up in the same
//! read: its components as they stand today (with changes to come), its
//! claim windows, how far it is set up, and that commissioner's offers by state.

use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::role::Role;
use shared::domain::service::Viewer;
use shared::domain::uk_time::uk_today;
use shared::edge::address::ServiceId;
use shared::edge::OneOf;
use shared::edge::{json, Answered, Path};
use shared::views::catalogue::{ComponentView, ServiceSetUp, ServiceView, StageView, WindowView};
use shared::App;

shared::serve_http!(GET "/services/{id}" => get);

async fn get(
    app: &App, who: SignedIn, Path(id): Path<ServiceId>,
) -> Answered<OneOf<ServiceView<'static>, ServiceSetUp<'static>>> {
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
    let Viewer::Commissioner(commissioner) = &viewer else {
        return json(&ServiceView::of(&service).for_provider());
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
    json(&ServiceSetUp {
        service: ServiceView::of(&service),
        stage: StageView::of(service.component_count, service.window_count, offers),
        offers,
        administrator: caller.holds(Role::CommissioningAdministrator, &service.commissioner),
        components: components.iter().map(|c| ComponentView::of(&service.id, c, today, &viewer)).collect(),
        windows: windows.iter().filter_map(|w| WindowView::of(w, now)).collect(),
    })
}
