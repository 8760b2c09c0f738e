//! GET /offers: the services offered to a provider (`organisation`, or the
//! caller's only practice), open offers first; `status` narrows the list.

use serde::Deserialize;
use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::ods::OdsCode;
use shared::domain::offer::OfferStatus;
use shared::edge::{json, query_value, Answered, Query};
use shared::views::catalogue::OfferView;
use shared::views::listing::{All, OfCode};
use shared::App;

shared::serve_http!(GET "/offers" => list);

/// The offers to which practice, of which status.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Wanted {
    #[param(value_type = Option<shared::domain::ods::OdsCode>)]
    organisation: Option<String>,
    #[serde(default, deserialize_with = "query_value")]
    status: Option<OfferStatus>,
}

async fn list(app: &App, who: SignedIn, query: Query<Wanted>) -> Answered<All<OfCode<'static>, OfferView<'static>>> {
    let requested = query.read().ok().and_then(|wanted| wanted.organisation);
    // The practice asked for: its offers are read with the caller's account.
    let asked = requested.as_deref().and_then(|raw| OdsCode::parse(raw).ok());
    let offers_asked = async {
        match &asked {
            Some(code) => app.store.offers_to(code).await.map(Some),
            None => Ok(None),
        }
    };
    let (caller, offers_asked) = signed_in_alongside(app, &who, offers_asked).await?;
    let provider = access::catalogue::chosen_organisation(
        caller.providers(),
        requested.as_deref(),
        "organisation",
        "Offers are made to providers: you are not a member of this one",
    )?;
    let status = query.read()?.status;
    let offers = match offers_asked {
        Some(offers) if asked.as_ref() == Some(&provider) => offers,
        _ => app.store.offers_to(&provider).await?,
    };
    let offers: Vec<_> = offers.into_iter().filter(|o| status.is_none_or(|s| o.status == s)).collect();
    let ids: Vec<String> = offers.iter().map(|o| o.service_id.clone()).collect();
    let services = app.store.services(&ids).await?;
    let mut items: Vec<_> = offers
        .iter()
        .map(|o| {
            let service = services.iter().find(|s| s.id == o.service_id);
            let order = (o.status != OfferStatus::Offered, service.map(|s| s.name.to_lowercase()));
            (order, OfferView::of(o, service))
        })
        .collect();
    items.sort_by(|a, b| a.0.cmp(&b.0));
    let items: Vec<_> = items.into_iter().map(|(_, view)| view).collect();
    json(&All { of: OfCode { organisation: &provider }, items })
}
