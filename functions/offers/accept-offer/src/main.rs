//! POST /offers/{id}/accept: the provider takes up a service it was offered,
//! so it can claim for it.

use shared::access::caller::SignedIn;
use shared::edge::address::OfferId;
use shared::edge::{Answered, Path};
use shared::views::catalogue::OfferView;
use shared::workflow::offers::answer_offer;
use shared::App;

shared::serve_http!(POST "/offers/{id}/accept" => accept);

async fn accept(app: &App, who: SignedIn, address: Path<OfferId>) -> Answered<OfferView<'static>> {
    answer_offer(app, who, address, true).await
}
