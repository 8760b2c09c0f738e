//! POST /users/{id}/memberships/{organisationCode}/revoke: the red Revoke button —
//! removes all access to that organisation, after confirmation. The person can
//! still sign in to My Profile. The last active administrator cannot be revoked.

use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::access_request::ConfirmForm;
use shared::edge::address::{MembershipOrganisation, UserId};
use shared::edge::{json, HttpResult, Json, Path};
use shared::mail::templates::{self, Addressee};
use shared::views::accounts::membership_change_json;
use shared::ConflictKind;
use shared::{App, AppError};

shared::serve_http!(revoke);

async fn revoke(
    app: &App,
    who: SignedIn,
    Path((id, organisation_code)): Path<(UserId, MembershipOrganisation)>,
    form: Json<ConfirmForm>,
) -> HttpResult {
    let user_id = id;
    let code = organisation_code;
    let named = access::organisations::access_named(&app.store, &user_id, &code);
    let (caller, (organisation, person)) = signed_in_alongside(app, &who, named).await?;
    let organisation = access::organisations::organisation_to_manage(&caller, &user_id, organisation)?;
    form.read()?.require("revoke this access")?;
    let membership = access::organisations::membership_in(person, &organisation)?;
    let next = membership
        .status
        .revoke()
        .map_err(|refused| AppError::conflict(ConflictKind::MembershipUnchanged, refused.0))?;
    app.store.change_membership(&membership, next, &caller.user_id, shared::Timestamp::now()).await?;
    let letter = templates::access_revoked(&Addressee::of_member(&membership), &organisation.label());
    let notification = app.mail().notify(&letter).await;
    json(200, &membership_change_json(&membership, next, notification))
}
