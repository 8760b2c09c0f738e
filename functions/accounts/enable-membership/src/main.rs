//! POST /users/{id}/memberships/{organisationCode}/enable: gives back access to
//! an organisation that was revoked, after confirmation.

use shared::access::caller::SignedIn;
use shared::domain::access_request::ConfirmForm;
use shared::edge::address::{MembershipOrganisation, UserId};
use shared::edge::{Answered, Json, Path};
use shared::views::accounts::MembershipChanged;
use shared::workflow::memberships::{change_access, AccessChange};
use shared::App;

shared::serve_http!(POST "/users/{id}/memberships/{organisationCode}/enable" => enable);

async fn enable(
    app: &App, who: SignedIn, address: Path<(UserId, MembershipOrganisation)>, form: Json<ConfirmForm>,
) -> Answered<MembershipChanged<'static>> {
    change_access(app, who, address, form, AccessChange::Enable).await
}
