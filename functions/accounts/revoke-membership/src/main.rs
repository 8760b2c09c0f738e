//! POST /users/{id}/memberships/{organisationCode}/revoke: the red Revoke button —
//! removes all access to that organisation, after confirmation. The person can
//! still sign in to My Profile. The last active administrator cannot be revoked.

use shared::access::caller::SignedIn;
use shared::domain::access_request::ConfirmForm;
use shared::edge::address::{MembershipOrganisation, UserId};
use shared::edge::{Answered, Json, Path};
use shared::views::accounts::MembershipChanged;
use shared::workflow::memberships::{change_access, AccessChange};
use shared::App;

shared::serve_http!(POST "/users/{id}/memberships/{organisationCode}/revoke" => revoke);

async fn revoke(
    app: &App, who: SignedIn, address: Path<(UserId, MembershipOrganisation)>, form: Json<ConfirmForm>,
) -> Answered<MembershipChanged<'static>> {
    change_access(app, who, address, form, AccessChange::Revoke).await
}
