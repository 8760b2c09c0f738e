//! GET /invitations: an organisation's invitations still waiting to be
//! accepted, so an administrator can resend or cancel them.

use serde::Deserialize;
use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::ods::OdsCode;
use shared::edge::{json, Answered, Paging, Query};
use shared::views::accounts::InvitationView;
use shared::views::listing::{Listed, OfOrganisation};
use shared::App;

shared::serve_http!(GET "/invitations" => list_invitations);

/// Of which organisation, how many a page and from where.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Wanted {
    #[param(value_type = Option<shared::domain::ods::OdsCode>)]
    organisation: Option<String>,
}

async fn list_invitations(
    app: &App,
    who: SignedIn,
    query: Query<Wanted>,
    paging: Paging,
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
