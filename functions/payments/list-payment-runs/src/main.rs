//! GET /payment-runs?commissioner=: a commissioner's payment runs, newest first.

use shared::access::caller::SignedIn;
use shared::access::payments::{paying_for, NOT_A_PAYER};
use shared::access::{self, signed_in};
use shared::edge::asked::ForCommissioner;
use shared::edge::{json, Answered, Paging, Query};
use shared::views::listing::{Listed, OfCommissioner};
use shared::views::payments::PaymentRunView;
use shared::App;

shared::serve_http!(GET "/payment-runs" => list);

async fn list(
    app: &App, who: SignedIn, wanted: Query<ForCommissioner>, paging: Paging,
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
