//! DELETE /invitations/{id}: withdraws a pending invitation; its link stops working.

use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::edge::address::InvitationId;
use shared::edge::{json, Answered, Path};
use shared::views::enrolment::InvitationChanged;
use shared::ConflictKind;
use shared::{App, AppError};

shared::serve_http!(DELETE "/invitations/{id}" => cancel);

async fn cancel(app: &App, who: SignedIn, Path(id): Path<InvitationId>) -> Answered<InvitationChanged<'static>> {
    let (caller, found) = signed_in_alongside(app, &who, app.store.invitation(&id)).await?;
    let invitation = access::organisations::manageable_invitation(&app.store, &caller, found).await?;
    invitation.status.cancel().map_err(|refused| AppError::conflict(ConflictKind::InvitationClosed, refused.0))?;
    app.store.cancel_invitation(&invitation, &caller.user_id, shared::Timestamp::now()).await?;
    json(&InvitationChanged {
        id: &invitation.id,
        status: "cancelled",
        existing_account: None,
        expires_at: None,
        notification: None,
    })
}
