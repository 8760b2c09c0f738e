//! GET /invitations: an organisation's invitations still waiting to be
//! accepted, so an administrator can resend or cancel them.

use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::ods::OdsCode;
use shared::edge::asked::ForOrganisation;
use shared::edge::{json, Answered, Paging, Query};
use shared::views::accounts::InvitationView;
use shared::views::listing::{Listed, OfOrganisation};
use shared::App;

shared::serve_http!(GET "/invitations" => list_invitations);

async fn list_invitations(
    app: &App, who: SignedIn, query: Query<ForOrganisation>, paging: Paging,
) -> Answered<Listed<'static, OfOrganisation<'static>, InvitationView<'static>>> {
    let requested = query.read().ok().and_then(|wanted| wanted.organisation);
    let page = |code: OdsCode| {
        let paging = &paging;
        async move {
            let size = paging.size()?;
            app.store.pending_invitations(&code, size, paging.cursor()).await
        }
    };
    let (_, organisation, page) =
        access::organisations::administered_list(app, &who, requested.as_deref(), page).await?;
    let now = shared::Timestamp::now();
    let of = OfOrganisation { organisation: (&organisation).into() };
    json(&Listed::of(of, &page, |invitation| InvitationView::of(invitation, now)))
}
