//! GET /services/{id}/windows: a service's claim windows in order, each open,
//! upcoming or closed by the clock. A commissioner also sees each practice
//! that accepted its offer, and where it stands in each window: claimed,
//! open, upcoming or missed (or any time, for one that claims at any time).

use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::claim_window::WindowState;
use shared::domain::offer::OfferStatus;
use shared::domain::service::Viewer;
use shared::edge::address::ServiceId;
use shared::edge::{json, Answered, Path};
use shared::views::catalogue::{ProviderStanding, ServiceWindows, Standing, WindowView, WindowedService};
use shared::views::party::Party;
use shared::App;

shared::serve_http!(GET "/services/{id}/windows" => list);

async fn list(app: &App, who: SignedIn, Path(id): Path<ServiceId>) -> Answered<ServiceWindows<'static>> {
    // The service, its windows and offers are read with the caller's account; shown only if the caller may see it.
    let named =
        async { tokio::try_join!(app.store.service(&id), app.store.windows_of(&id), app.store.offers_of_service(&id)) };
    let (caller, (found, mut windows, offers)) = signed_in_alongside(app, &who, named).await?;
    let (service, viewer) = access::catalogue::service_to_view(&app.store, &caller, found).await?;
    let now = shared::Timestamp::now();
    windows.sort_by_key(|w| w.opens_at);
    let items = windows.iter().filter_map(|w| WindowView::of(w, now));
    let service_view = WindowedService { id: &service.id, name: &service.name, claim_periods: &service.claim_periods };
    let Viewer::Commissioner(commissioner) = viewer else {
        // Who missed a window is the commissioner's business, not other practices'.
        let items = items.map(WindowView::for_provider).collect();
        return json(&ServiceWindows { service: service_view, items, providers: None });
    };
    // The practices that took the service up from this commissioner (its owner sees every one).
    let mut accepted: Vec<_> = offers
        .iter()
        .filter(|o| o.status == OfferStatus::Accepted)
        .filter(|o| commissioner == service.commissioner || o.commissioner == commissioner)
        .collect();
    accepted.sort_by_key(|o| o.provider_name.to_lowercase());
    let codes: Vec<_> = accepted.iter().map(|o| o.provider.clone()).collect();
    let periods: Vec<String> = windows.iter().map(|w| w.period_key.clone()).collect();
    let (claimed, organisations) = tokio::try_join!(
        app.store.claimed_periods(&codes, &service.id, &periods),
        app.store.organisation_records(&codes)
    )?;
    // A practice that claims at any time has no windows to keep or miss.
    let any_time: Vec<_> = organisations.iter().filter(|o| o.claims_any_time).map(|o| o.code.clone()).collect();
    let providers = accepted
        .iter()
        .map(|offer| {
            let windows = windows
                .iter()
                .filter_map(|record| {
                    let window = record.window()?;
                    let made = claimed.contains(&(offer.provider.clone(), record.period_key.clone()));
                    let standing = match window.state(now.instant(), made) {
                        _ if made => Standing::Claimed,
                        _ if any_time.contains(&offer.provider) => Standing::AnyTime,
                        WindowState::Upcoming => Standing::Upcoming,
                        WindowState::Open => Standing::Open,
                        WindowState::Closed | WindowState::Missed => Standing::Missed,
                    };
                    Some((record.period_key.as_str(), standing))
                })
                .collect();
            ProviderStanding { provider: Party::new(&offer.provider, &offer.provider_name), windows }
        })
        .collect();
    json(&ServiceWindows { service: service_view, items: items.collect(), providers: Some(providers) })
}
