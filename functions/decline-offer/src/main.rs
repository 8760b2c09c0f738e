//! POST /offers/{id}/decline: the provider turns down a service it was offered;
//! its commissioner may offer it again.

use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::offer;
use shared::edge::address::OfferId;
use shared::edge::{json, HttpResult, Path};
use shared::views::catalogue::offer_json;
use shared::ConflictKind;
use shared::{App, AppError};

shared::serve_http!(decline);

async fn decline(app: &App, who: SignedIn, Path(id): Path<OfferId>) -> HttpResult {
    let (caller, found) = signed_in_alongside(app, &who, access::catalogue::offer_named(&app.store, &id)).await?;
    let (offered, service) = access::catalogue::offer_to_answer(&caller, found)?;
    let answer = offer::answer(offered.status, false)
        .map_err(|detail| AppError::conflict(ConflictKind::OfferAnswered, detail))?;
    let answered = app
        .store
        .answer_offer(&offered, answer, &service.commissioner, &service.name, &caller.user_id, shared::Timestamp::now())
        .await?;
    tracing::info!(service = %service.id, provider = %offered.provider, status = ?answer, "offer answered");
    json(200, &offer_json(&answered, Some(&service)))
}
