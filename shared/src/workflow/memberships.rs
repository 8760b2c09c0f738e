//! The red Revoke button and Enable Account on a person's access to one
//! organisation: the same step both ways — the caller manages that person
//! there, confirms, the membership moves on once, and the person is told.

use crate::access::caller::SignedIn;
use crate::access::{self, signed_in_alongside};
use crate::domain::access_request::ConfirmForm;
use crate::domain::account::MembershipStatus;
use crate::edge::address::{MembershipOrganisation, UserId};
use crate::edge::{json, Answered, Json, Path};
use crate::mail::templates;
use crate::views::accounts::MembershipChanged;
use crate::{App, AppError, ConflictKind};

/// Which way the access goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessChange {
    Revoke,
    Enable,
}

impl AccessChange {
    fn confirming(self) -> &'static str {
        match self {
            AccessChange::Revoke => "revoke this access",
            AccessChange::Enable => "give this access back",
        }
    }
}

/// The step: `POST /users/{id}/memberships/{organisationCode}/revoke|enable`.
pub async fn change_access(
    app: &App, who: SignedIn, Path((user_id, code)): Path<(UserId, MembershipOrganisation)>, form: Json<ConfirmForm>,
    change: AccessChange,
) -> Answered<MembershipChanged<'static>> {
    let named = access::organisations::access_named(&app.store, &user_id, &code);
    let (caller, (organisation, person)) = signed_in_alongside(app, &who, named).await?;
    let organisation = access::organisations::organisation_to_manage(&caller, &user_id, organisation)?;
    form.read()?.require(change.confirming())?;
    let membership = access::organisations::membership_in(person, &organisation)?;
    let next = match change {
        AccessChange::Revoke => membership.status.revoke(),
        AccessChange::Enable => membership.status.enable(),
    }
    .map_err(|refused| AppError::conflict(ConflictKind::MembershipUnchanged, refused.0))?;
    app.store.change_membership(&membership, next, &caller.user_id, crate::Timestamp::now()).await?;
    let to = membership.names();
    let letter = if next == MembershipStatus::Revoked {
        templates::access_revoked(&to, &organisation.label())
    } else {
        templates::access_enabled(&to, &organisation.label())
    };
    let notification = app.mail().notify(&letter).await;
    json(&MembershipChanged::of(&membership, next, notification))
}
