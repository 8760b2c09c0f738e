//! GET /claims: the Claims page — a practice's claims, newest first (drafts
//! included), or a commissioner's submitted claims (never drafts), filtered by
//! status, service and period, one page at a time.

use serde::Deserialize;
use shared::access::caller::SignedIn;
use shared::access::{self, signed_in};
use shared::domain::claim::ClaimStatus;
use shared::edge::address::{PeriodKey, ServiceId};
use shared::edge::OneOf;
use shared::edge::{json, query_value, Answered, Paging, Query};
use shared::store::claims::ClaimFilter;
use shared::views::claims::ClaimRow;
use shared::views::listing::{Listed, OfCommissioner, OfProvider};
use shared::App;

shared::serve_http!(GET "/claims" => list);

/// Whose claims (a practice's, or a commissioner's practices'), filtered by
/// status, service and period, a page at a time.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Wanted {
    #[param(value_type = Option<shared::domain::ods::OdsCode>)]
    provider: Option<String>,
    #[param(value_type = Option<shared::domain::ods::OdsCode>)]
    commissioner: Option<String>,
    #[serde(default, deserialize_with = "query_value")]
    status: Option<ClaimStatus>,
    #[serde(default, deserialize_with = "query_value")]
    service: Option<ServiceId>,
    #[serde(default, deserialize_with = "query_value")]
    period: Option<PeriodKey>,
}

async fn list(
    app: &App, who: SignedIn, wanted: Query<Wanted>, paging: Paging,
) -> Answered<
    OneOf<
        Listed<'static, OfProvider<'static>, ClaimRow<'static>>,
        Listed<'static, OfCommissioner<'static>, ClaimRow<'static>>,
    >,
> {
    let caller = signed_in(app, &who).await?;
    let wanted = wanted.read()?;
    let filter = ClaimFilter {
        status: wanted.status,
        service: wanted.service.map(|id| id.0),
        period: wanted.period.map(|p| p.0),
        provider: None,
    };
    let size = paging.size()?;
    let cursor = paging.cursor().map(str::to_string);
    let commissioner = wanted.commissioner;
    if commissioner.is_none() && !caller.providers().is_empty() {
        let provider = access::catalogue::chosen_organisation(
            caller.providers(),
            wanted.provider.as_deref(),
            "provider",
            "You can see the claims of your own practices",
        )?;
        let page = app.store.claims_of_provider(&provider, &filter, size, cursor.as_deref()).await?;
        json(&Listed::of(OfProvider { provider: &provider }, &page, ClaimRow::of))
    } else {
        let commissioner = access::catalogue::chosen_organisation(
            caller.commissioners(),
            commissioner.as_deref(),
            "commissioner",
            "You can see the claims of your own practices, or of the commissioner you work for",
        )?;
        let page = app.store.claims_of_commissioner(&commissioner, &filter, size, cursor.as_deref()).await?;
        json(&Listed::of(OfCommissioner { commissioner: &commissioner }, &page, ClaimRow::of))
    }
}
