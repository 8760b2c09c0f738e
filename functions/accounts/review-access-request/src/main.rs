//! POST /access-requests/{id}/review: the Users section's Review button —
//! approve, or reject with a reason; the person is emailed either way.

use shared::access::caller::SignedIn;
use shared::access::signed_in_alongside;
use shared::domain::access_request::AccessRequestStatus;
use shared::domain::authority::Refusal;
use shared::domain::organisation::ReviewQueue;
use shared::domain::registration::{Decision, ReviewForm};
use shared::edge::address::AccessRequestId;
use shared::edge::{json, Answered, Json, Path};
use shared::mail::templates::{self};
use shared::views::enrolment::Decided;
use shared::ConflictKind;
use shared::{App, AppError};

shared::serve_http!(POST "/access-requests/{id}/review" => review);

async fn review(
    app: &App, who: SignedIn, Path(id): Path<AccessRequestId>, form: Json<ReviewForm>,
) -> Answered<Decided<'static, String>> {
    let (caller, found) = signed_in_alongside(app, &who, app.store.access_request(&id)).await?;
    let not_found = || AppError::NotFound("There is no access request with this reference".into());
    let access = found.ok_or_else(not_found)?;
    let queue = ReviewQueue::from_key(&access.review_queue)
        .ok_or_else(|| AppError::Internal("access request has an unknown review queue".into()))?;
    if !caller.may_review(&queue) {
        return Err(Refusal::NotYourOrganisation.into());
    }
    if access.user_id == caller.user_id {
        return Err(Refusal::OwnAccess.into());
    }
    let decision = form.read()?.validate()?;
    if access.status != AccessRequestStatus::Pending {
        return Err(AppError::conflict(ConflictKind::AlreadyReviewed, "This request has already been reviewed"));
    }
    app.store.decide_access_request(&access, &decision, &caller.user_id, shared::Timestamp::now()).await?;

    let to = access.names();
    let organisation = format!("{} ({})", access.organisation_name, access.organisation_code);
    let (status, mail) = match &decision {
        Decision::Approve => ("approved", templates::access_approved(&to, &organisation, access.role.label())),
        Decision::Reject { reason } => ("rejected", templates::access_rejected(&to, &organisation, reason)),
    };
    let notification = app.mail().notify(&mail).await;
    json(&Decided { id: &access.id, status, notification })
}
