//! POST /offers/{id}/decline: the provider turns down a service it was offered;
//! its commissioner may offer it again.

use shared::access::caller::SignedIn;
use shared::edge::address::OfferId;
use shared::edge::{Answered, Path};
use shared::views::catalogue::OfferView;
use shared::workflow::offers::answer_offer;
use shared::App;

shared::serve_http!(POST "/offers/{id}/decline" => decline);

async fn decline(app: &App, who: SignedIn, address: Path<OfferId>) -> Answered<OfferView<'static>> {
    answer_offer(app, who, address, false).await
}
