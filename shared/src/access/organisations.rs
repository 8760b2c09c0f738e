//! Who may administer where: which organisation a request is about, and
//! whether the caller may manage the person, invitation or access it names.
//! Someone outside the caller's reach is "not found", so nothing leaks.

use super::caller::signed_in_about;
use super::caller::SignedIn;
use crate::app::App;
use crate::domain::account::Caller;
use crate::domain::authority::Refusal;
use crate::domain::ods::OdsCode;
use crate::domain::organisation::Organisation;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::store::accounts::AccountView;
use crate::store::records::{InvitationRecord, MembershipRecord};
use crate::store::Store;
use std::future::Future;

/// An organisation by ODS code, or 404.
pub async fn known_organisation(store: &Store, code: &OdsCode) -> Result<Organisation, AppError> {
    store.organisation(code).await?.ok_or_else(|| no_organisation(code))
}

fn no_organisation(code: &OdsCode) -> AppError {
    AppError::NotFound(format!("There is no organisation with the ODS code {code}"))
}

/// The organisation an ODS code in the address names, if it is a code (read
/// beside the caller's own account, then judged).
pub async fn organisation_named(store: &Store, raw_code: &str) -> Result<Option<Organisation>, AppError> {
    match OdsCode::parse(raw_code) {
        Ok(code) => store.organisation(&code).await,
        Err(_) => Ok(None),
    }
}

/// An administrative list about one organisation — the one `?organisation=`
/// names, or the only one the caller administers: the caller, the
/// organisation, and `page` of it, read beside the caller's own account
/// whenever the organisation is known before it ([`signed_in_about`]). `page`
/// is asked for only once the token is verified, and its own failure (a filter
/// that is not valid, say) is answered only once the caller is found to
/// administer the organisation.
pub async fn administered_list<T, Fut>(
    app: &App, caller: &SignedIn, requested: Option<&str>, page: impl Fn(OdsCode) -> Fut,
) -> Result<(AccountView, Organisation, T), AppError>
where
    Fut: Future<Output = Result<T, AppError>>,
{
    let choose = |caller: &Caller| administered_code(caller, requested);
    let read = |code: OdsCode| {
        let page = page(code.clone());
        async move {
            let (found, page) = tokio::join!(app.store.organisation(&code), page);
            Ok((found?, page))
        }
    };
    let (account, code, (found, page)) = signed_in_about(app, caller, choose, read).await?;
    let organisation = administered(&account.caller(), &code, found)?;
    Ok((account, organisation, page?))
}

/// Which organisation an administrative list is about, before it is read:
/// the one asked for, or the only one the caller administers.
fn administered_code(caller: &Caller, requested: Option<&str>) -> Result<OdsCode, AppError> {
    match requested {
        Some(raw) => OdsCode::parse(raw).map_err(|detail| AppError::invalid_field("organisation", detail)),
        None => {
            let mut own = caller.organisations_with(Role::CommissioningAdministrator);
            own.extend(caller.organisations_with(Role::ServiceDesk));
            match own.as_slice() {
                [only] => Ok((*only).clone()),
                [] => Err(Refusal::NotYourOrganisation.into()),
                many => {
                    let codes: Vec<String> = many.iter().map(|c| c.to_string()).collect();
                    Err(AppError::invalid_field(
                        "organisation",
                        format!("You administer several organisations: choose one of {}", codes.join(", ")),
                    ))
                }
            }
        }
    }
}

/// The organisation `found` (read for `code`, the one the list is about), if
/// the caller administers it.
fn administered(caller: &Caller, code: &OdsCode, found: Option<Organisation>) -> Result<Organisation, AppError> {
    let organisation = found.ok_or_else(|| no_organisation(code))?;
    caller.may_administer(&organisation)?;
    Ok(organisation)
}

/// An invitation the caller may manage (resend or cancel): one granting a
/// role the caller could grant, in an organisation they administer (`found`:
/// the invitation the path names, read beside the caller's own account).
pub async fn manageable_invitation(
    store: &Store, caller: &Caller, found: Option<InvitationRecord>,
) -> Result<InvitationRecord, AppError> {
    let invitation = found.ok_or_else(|| AppError::NotFound("There is no invitation with this reference".into()))?;
    let organisation = known_organisation(store, &invitation.organisation_code).await?;
    caller.may_grant(invitation.role, &organisation)?;
    Ok(invitation)
}

/// The person a path's id names, if it is an id (read beside the caller's own account).
pub async fn person_named(store: &Store, user_id: &str) -> Result<Option<AccountView>, AppError> {
    if uuid::Uuid::parse_str(user_id).is_err() {
        return Ok(None);
    }
    store.account_view(user_id).await
}

/// A person the caller administers in at least one organisation, with those
/// organisations (`found`: [`person_named`]).
pub async fn managed_user(
    store: &Store, caller: &Caller, found: Option<AccountView>,
) -> Result<(AccountView, Vec<Organisation>), AppError> {
    if caller.organisations_with(Role::CommissioningAdministrator).is_empty() && !caller.is_service_desk() {
        return Err(AppError::Forbidden("Only Commissioning Administrators and the Service Desk manage users".into()));
    }
    let not_found =
        || AppError::NotFound("There is no user with this reference in the organisations you administer".into());
    let view = found.ok_or_else(not_found)?;
    // Every organisation the person belongs to, in one batch read.
    let codes: Vec<OdsCode> = view.memberships.iter().map(|m| m.organisation_code.clone()).collect();
    let mut administered: Vec<Organisation> = store
        .organisation_records(&codes)
        .await?
        .into_iter()
        .map(|record| record.organisation())
        .filter(|organisation| caller.administers(organisation))
        .collect();
    // In the order of the person's memberships, as before.
    administered.sort_by_key(|o| codes.iter().position(|c| c == &o.code));
    if administered.is_empty() {
        return Err(not_found());
    }
    Ok((view, administered))
}

/// Someone else the caller administers, named by the path's id, read beside
/// the caller's own account: an administrator never switches their own account
/// off or on this way.
pub async fn other_managed_user(app: &App, who: &SignedIn, user_id: &str) -> Result<(Caller, AccountView), AppError> {
    let (caller, person) = super::signed_in_alongside(app, who, person_named(&app.store, user_id)).await?;
    if caller.user_id == user_id {
        return Err(Refusal::OwnAccess.into());
    }
    let (person, _) = managed_user(&app.store, &caller, person).await?;
    Ok((caller, person))
}

/// The organisation and the person a change to someone's access names (by
/// path), read together beside the caller's own account: either is `None` when
/// its code or id is not one, or names nothing.
pub async fn access_named(
    store: &Store, user_id: &str, organisation_code: &str,
) -> Result<(Option<Organisation>, Option<AccountView>), AppError> {
    tokio::try_join!(organisation_named(store, organisation_code), person_named(store, user_id))
}

/// An organisation where the caller may revoke or give back a person's
/// access: one they administer, and not their own access.
pub fn organisation_to_manage(
    caller: &Caller, user_id: &str, found: Option<Organisation>,
) -> Result<Organisation, AppError> {
    let organisation = found.ok_or_else(|| AppError::NotFound("There is no organisation with this code".into()))?;
    caller.may_manage(user_id, &organisation)?;
    Ok(organisation)
}

/// The person's access to that organisation, or 404.
pub fn membership_in(person: Option<AccountView>, organisation: &Organisation) -> Result<MembershipRecord, AppError> {
    let not_found = || AppError::NotFound(format!("This person has no access to {} to change", organisation.name));
    let view = person.ok_or_else(not_found)?;
    view.memberships.into_iter().find(|m| m.organisation_code == organisation.code).ok_or_else(not_found)
}
