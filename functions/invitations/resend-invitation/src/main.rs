//! POST /invitations/{id}/resend: emails a fresh link (7 more days); the old
//! link stops working.

use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_account_alongside};
use shared::domain::completion_token;
use shared::edge::address::InvitationId;
use shared::edge::{json, Answered, Path};
use shared::mail::templates::{self};
use shared::views::enrolment::InvitationChanged;
use shared::ConflictKind;
use shared::{App, AppError};

shared::serve_http!(POST "/invitations/{id}/resend" => resend);

async fn resend(app: &App, who: SignedIn, Path(id): Path<InvitationId>) -> Answered<InvitationChanged<'static>> {
    let (inviter, found) = signed_in_account_alongside(app, &who, app.store.invitation(&id)).await?;
    let caller = inviter.caller();
    let invitation = access::organisations::manageable_invitation(&app.store, &caller, found).await?;
    invitation.status.resend().map_err(|refused| AppError::conflict(ConflictKind::InvitationClosed, refused.0))?;

    let now = shared::Timestamp::now();
    let issued = completion_token::issue(now);
    // The email says whether to choose a password as things are now: the
    // person may have set one up since the first email.
    let (has_account, ()) = tokio::try_join!(
        async { app.store.user_id_for_email(&invitation.email).await.map(|owner| owner.is_some()) },
        app.store.resend_invitation(&invitation, &issued, &caller.user_id, now),
    )?;
    let mail = templates::invitation(
        &invitation.names(),
        &format!("{} ({})", invitation.organisation_name, invitation.organisation_code),
        invitation.role.label(),
        &inviter.account.names().full_name(),
        &format!("{}/accept-invitation#token={}", app.config.app_url, issued.secret),
        &templates::uk_date_time(issued.expires_at),
        has_account,
    );
    let notification = app.mail().notify(&mail).await;
    json(&InvitationChanged {
        id: &invitation.id,
        status: "pending",
        existing_account: None,
        expires_at: Some(shared::Timestamp::from(issued.expires_at)),
        notification: Some(notification),
    })
}
