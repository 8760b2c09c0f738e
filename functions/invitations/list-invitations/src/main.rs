//! GET /invitations: an organisation's invitations still waiting to be
//! accepted, so an administrator can resend or cancel them.

use serde::Deserialize;
use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::ods::OdsCode;
use shared::edge::{json, HttpResult, Paging, Query};
use shared::views::accounts::InvitationView;
use shared::views::listing::{Listed, OfOrganisation};
use shared::App;

shared::serve_http!(GET "/invitations" => list_invitations);

/// Of which organisation, how many a page and from where.
#[derive(Deserialize)]
struct Wanted {
    organisation: Option<String>,
    #[serde(flatten)]
    page: Paging,
}

async fn list_invitations(app: &App, who: SignedIn, query: Query<Wanted>) -> HttpResult {
    let requested = query.read().ok().and_then(|wanted| wanted.organisation);
    let page = |code: OdsCode| {
        let query = &query;
        async move {
            let wanted = query.read()?;
            let size = wanted.page.size()?;
            app.store.pending_invitations(&code, size, wanted.page.cursor()).await
        }
    };
    let (_, organisation, page) =
        access::organisations::administered_list(app, &who, requested.as_deref(), page).await?;
    let now = shared::Timestamp::now();
    let of = OfOrganisation { organisation: (&organisation).into() };
    json(200, &Listed::of(of, &page, |invitation| InvitationView::of(invitation, now)))
}
