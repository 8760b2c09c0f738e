//! POST /users/{id}/memberships/{organisationCode}/enable: gives back access to
//! an organisation that was revoked, after confirmation.

use shared::access::caller::SignedIn;
use shared::domain::access_request::ConfirmForm;
use shared::edge::address::{MembershipOrganisation, UserId};
use shared::edge::{HttpResult, Json, Path};
use shared::workflow::memberships::{change_access, AccessChange};
use shared::App;

shared::serve_http!(POST "/users/{id}/memberships/{organisationCode}/enable" => enable);

async fn enable(
    app: &App,
    who: SignedIn,
    address: Path<(UserId, MembershipOrganisation)>,
    form: Json<ConfirmForm>,
) -> HttpResult {
    change_access(app, who, address, form, AccessChange::Enable).await
}
