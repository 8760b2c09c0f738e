//! GET /payment-runs?commissioner=: a commissioner's payment runs, newest first.

use serde::Deserialize;
use shared::access::caller::SignedIn;
use shared::access::payments::{paying_for, NOT_A_PAYER};
use shared::access::{self, signed_in};
use shared::edge::{json, Answered, Paging, Query};
use shared::views::listing::{Listed, OfCommissioner};
use shared::views::payments::PaymentRunView;
use shared::App;

shared::serve_http!(GET "/payment-runs" => list);

/// Whose runs (a commissioner's), a page at a time.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Wanted {
    #[param(value_type = Option<shared::domain::ods::OdsCode>)]
    commissioner: Option<String>,
}

async fn list(
    app: &App,
    who: SignedIn,
    wanted: Query<Wanted>,
    paging: Paging,
) -> Answered<Listed<'static, OfCommissioner<'static>, PaymentRunView<'static>>> {
    let caller = signed_in(app, &who).await?;
    let wanted = wanted.read()?;
    let commissioner = access::catalogue::chosen_organisation(
        paying_for(&caller),
        wanted.commissioner.as_deref(),
        "commissioner",
        NOT_A_PAYER,
    )?;
    let size = paging.size()?;
    let page = app.store.payment_runs_of(&commissioner, size, paging.cursor()).await?;
    json(&Listed::of(OfCommissioner { commissioner: &commissioner }, &page, PaymentRunView::of))
}
