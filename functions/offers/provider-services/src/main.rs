//! GET /providers/{code}/services: what a provider can claim for — the services
//! it accepted, each with how many components it has (the Services pane).

use serde::Deserialize;
use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::financial_year::FinancialYear;
use shared::domain::ods::OdsCode;
use shared::edge::address::OrganisationCode;
use shared::edge::{json, query_value, Answered, Path, Query};
use shared::views::catalogue::AcceptedServiceView;
use shared::views::listing::{All, OfPractice};
use shared::App;

shared::serve_http!(GET "/providers/{code}/services" => list);

/// The services of which year.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Wanted {
    #[serde(default, deserialize_with = "query_value")]
    year: Option<FinancialYear>,
}

async fn list(
    app: &App, who: SignedIn, Path(code): Path<OrganisationCode>, wanted: Query<Wanted>,
) -> Answered<All<OfPractice<'static>, AcceptedServiceView<'static>>> {
    // The practice and its offers are read with the caller's account.
    let named = async {
        match OdsCode::parse(&code) {
            Ok(code) => tokio::try_join!(app.store.organisation_record(&code), app.store.offers_to(&code)),
            Err(_) => Ok((None, Vec::new())),
        }
    };
    let (caller, (found, offers)) = signed_in_alongside(app, &who, named).await?;
    let provider = access::catalogue::provider_visible(&caller, found.as_ref())?;
    let year = wanted.read()?.year;
    let mut services = access::catalogue::services_accepted(&app.store, offers).await?;
    services.retain(|s| year.is_none_or(|y| s.financial_year == y));
    services.sort_by_key(|s| (s.financial_year, s.name.to_lowercase()));
    let items = services.iter().map(|s| AcceptedServiceView::of(s, &provider.code)).collect();
    let of = OfPractice { provider: (&provider).into(), claims_any_time: provider.claims_any_time };
    json(&All { of, items })
}
