//! GET /services/{id}/offers: a commissioner's offers of a service, with counts
//! by state (offered, accepted, declined); `status` narrows the list. The
//! owner sees every offer; a commissioner it is shared with sees its own.

use serde::Deserialize;
use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::offer::{OfferCounts, OfferStatus};
use shared::domain::service::Viewer;
use shared::edge::address::ServiceId;
use shared::edge::{json, query_value, Answered, Path, Query};
use shared::views::catalogue::{OfferView, OffersOf, ServiceName};
use shared::views::listing::All;
use shared::{App, AppError};

shared::serve_http!(GET "/services/{id}/offers" => list);

/// The offers of which status.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Wanted {
    #[serde(default, deserialize_with = "query_value")]
    status: Option<OfferStatus>,
}

async fn list(
    app: &App, who: SignedIn, Path(id): Path<ServiceId>, wanted: Query<Wanted>,
) -> Answered<All<OffersOf<'static>, OfferView<'static>>> {
    let (caller, found) = signed_in_alongside(app, &who, app.store.service(&id)).await?;
    let (service, viewer) = access::catalogue::service_to_view(&app.store, &caller, found).await?;
    let Viewer::Commissioner(commissioner) = viewer else {
        return Err(AppError::Forbidden("Offers are seen by the commissioner that made them".into()));
    };
    let status = wanted.read()?.status;
    let mut offers: Vec<_> = app
        .store
        .offers_of_service(&service.id)
        .await?
        .into_iter()
        .filter(|o| commissioner == service.commissioner || o.commissioner == commissioner)
        .collect();
    let counts = OfferCounts::of(offers.iter().map(|o| o.status));
    offers.retain(|o| status.is_none_or(|s| o.status == s));
    offers.sort_by_key(|o| o.provider_name.to_lowercase());
    let items: Vec<_> = offers.iter().map(|o| OfferView::of(o, Some(&service))).collect();
    let of = OffersOf { service: ServiceName { id: &service.id, name: &service.name }, counts };
    json(&All { of, items })
}
