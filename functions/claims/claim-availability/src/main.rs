//! GET /providers/{code}/claims/availability: whether the Claims page offers
//! +New Claim, what can be claimed now (service, period, when its window
//! closes), and when nothing can, which of the guides' reasons applies.

use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::ods::OdsCode;
use shared::edge::address::OrganisationCode;
use shared::edge::{json, Answered, Path};
use shared::views::claims::AvailabilityView;
use shared::{App, AppError};

shared::serve_http!(GET "/providers/{code}/claims/availability" => availability);

async fn availability(
    app: &App, who: SignedIn, Path(code): Path<OrganisationCode>,
) -> Answered<AvailabilityView<'static>> {
    let code = OdsCode::parse(&code)
        .map_err(|_| AppError::NotFound("There is no provider with this ODS code among yours".into()))?;
    let (caller, inputs) = signed_in_alongside(app, &who, access::claims::claim_inputs(&app.store, &code)).await?;
    let provider = access::claims::provider_in_view(&caller, &inputs)?;
    let now = jiff::Timestamp::now();
    let found = access::claims::claimable_now(&app.store, &provider, inputs, now).await?.availability;
    json(&AvailabilityView {
        provider: (&provider).into(),
        claims_any_time: provider.claims_any_time,
        availability: &found,
    })
}
