//! A practice answering a service it was offered: Accept (so it can claim for
//! it) or Decline (its commissioner may offer it again) — the same step both ways.

use crate::access::caller::SignedIn;
use crate::access::{self, signed_in_alongside};
use crate::domain::offer;
use crate::edge::address::OfferId;
use crate::edge::{json, Answered, Path};
use crate::views::catalogue::OfferView;
use crate::{App, AppError, ConflictKind};

/// The step: `POST /offers/{id}/accept|decline`.
pub async fn answer_offer(
    app: &App, who: SignedIn, Path(id): Path<OfferId>, accept: bool,
) -> Answered<OfferView<'static>> {
    let (caller, found) = signed_in_alongside(app, &who, access::catalogue::offer_named(&app.store, &id)).await?;
    let (offered, service) = access::catalogue::offer_to_answer(&caller, found)?;
    let answer = offer::answer(offered.status, accept)
        .map_err(|detail| AppError::conflict(ConflictKind::OfferAnswered, detail))?;
    let answered = app
        .store
        .answer_offer(&offered, answer, &service.commissioner, &service.name, &caller.user_id, crate::Timestamp::now())
        .await?;
    tracing::info!(service = %service.id, provider = %offered.provider, status = ?answer, "offer answered");
    json(&OfferView::of(&answered, Some(&service)))
}
