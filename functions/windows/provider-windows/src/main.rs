//! GET /providers/{code}/windows: when a provider can claim — the windows of
//! every service it accepted, each upcoming, open, closed (claimed) or missed.
//! A provider without claim windows claims any time and has none.

use serde::Deserialize;
use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::claim_window::WindowState;
use shared::domain::ods::OdsCode;
use shared::domain::offer::OfferStatus;
use shared::edge::address::OrganisationCode;
use shared::edge::{json, query_value, Answered, Path, Query};
use shared::views::catalogue::ProviderWindowView;
use shared::views::listing::{All, OfPractice};
use shared::{App, AppError};

shared::serve_http!(GET "/providers/{code}/windows" => list);

/// The windows in which state.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Wanted {
    #[serde(default, deserialize_with = "query_value")]
    state: Option<WindowState>,
}

async fn list(
    app: &App, who: SignedIn, Path(code): Path<OrganisationCode>, wanted: Query<Wanted>,
) -> Answered<All<OfPractice<'static>, ProviderWindowView<'static>>> {
    // The practice, its offers and its claims so far are read with the caller's account.
    let named = async {
        match OdsCode::parse(&code) {
            Ok(code) => tokio::try_join!(
                app.store.organisation_record(&code),
                app.store.offers_to(&code),
                app.store.claims_made_by(&code)
            ),
            Err(_) => Ok((None, Vec::new(), Default::default())),
        }
    };
    let (caller, (found, offers, claimed)) = signed_in_alongside(app, &who, named).await?;
    let provider = access::catalogue::provider_visible(&caller, found.as_ref())?;
    let wanted = wanted.read()?.state;
    if provider.claims_any_time {
        let of = OfPractice { provider: (&provider).into(), claims_any_time: true };
        return json(&All::<_, ProviderWindowView> { of, items: Vec::new() });
    }
    // Then the accepted services and their windows, together.
    let accepted: Vec<String> =
        offers.into_iter().filter(|o| o.status == OfferStatus::Accepted).map(|o| o.service_id).collect();
    let mut reads = tokio::task::JoinSet::new();
    for id in &accepted {
        let store = app.store.clone();
        let id = id.clone();
        reads.spawn(async move { store.windows_of(&id).await });
    }
    let services = app.store.services(&accepted).await?;
    let mut windows = Vec::new();
    while let Some(read) = reads.join_next().await {
        let read = read.map_err(|e| AppError::Internal(format!("reading windows: {e}")))?;
        windows.extend(read?);
    }
    let now = shared::Timestamp::now();
    let mut items: Vec<_> = windows
        .iter()
        .filter_map(|record| {
            let service = services.iter().find(|s| s.id == record.service_id)?;
            let window = record.window()?;
            let was_claimed = claimed.contains(&(record.service_id.clone(), record.period_key.clone()));
            let state = window.state(now, was_claimed);
            wanted
                .is_none_or(|w| w == state)
                .then(|| (window.opens_at, ProviderWindowView::of(service, &window, now, was_claimed)))
        })
        .collect();
    items.sort_by_key(|(opens, _)| *opens);
    let items: Vec<_> = items.into_iter().map(|(_, view)| view).collect();
    let of = OfPractice { provider: (&provider).into(), claims_any_time: false };
    json(&All { of, items })
}
