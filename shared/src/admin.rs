//! Edge helpers for administrative steps: which organisation a request is
//! about, and whether the caller may manage the person it names.

use crate::domain::account::Caller;
use crate::domain::authority::Refusal;
use crate::domain::ods::OdsCode;
use crate::domain::organisation::Organisation;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::store::accounts::AccountView;
use crate::App;

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> Self {
        AppError::Forbidden(refusal.message())
    }
}

impl App {
    /// An organisation by ODS code, or 404.
    pub async fn known_organisation(&self, code: &OdsCode) -> Result<Organisation, AppError> {
        self.store
            .organisation(code)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("There is no organisation with the ODS code {code}")))
    }

    /// The organisation an administrative list is about: the one asked for, if
    /// the caller administers it, or the caller's only one.
    pub async fn administered_organisation(
        &self,
        caller: &Caller,
        requested: Option<&str>,
    ) -> Result<Organisation, AppError> {
        let code = match requested.map(str::trim).filter(|r| !r.is_empty()) {
            Some(raw) => OdsCode::parse(raw).map_err(|detail| AppError::invalid_field("organisation", detail))?,
            None => {
                let mut own = caller.organisations_with(Role::CommissioningAdministrator);
                own.extend(caller.organisations_with(Role::ServiceDesk));
                match own.as_slice() {
                    [only] => (*only).clone(),
                    [] => return Err(Refusal::NotYourOrganisation.into()),
                    many => {
                        let codes: Vec<String> = many.iter().map(|c| c.to_string()).collect();
                        return Err(AppError::invalid_field(
                            "organisation",
                            format!("You administer several organisations: choose one of {}", codes.join(", ")),
                        ));
                    }
                }
            }
        };
        let organisation = self.known_organisation(&code).await?;
        caller.may_administer(&organisation)?;
        Ok(organisation)
    }

    /// An invitation the caller may manage (resend or cancel): one granting a
    /// role the caller could grant, in an organisation they administer.
    pub async fn manageable_invitation(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<crate::store::records::InvitationRecord, AppError> {
        let invitation = self
            .store
            .invitation(id)
            .await?
            .ok_or_else(|| AppError::NotFound("There is no invitation with this reference".into()))?;
        let organisation = self.known_organisation(&invitation.organisation_code).await?;
        caller.may_grant(invitation.role, &organisation)?;
        Ok(invitation)
    }

    /// A person the caller administers in at least one organisation, with those
    /// organisations. Someone outside them is "not found", so nothing leaks.
    pub async fn managed_user(
        &self,
        caller: &Caller,
        user_id: &str,
    ) -> Result<(AccountView, Vec<Organisation>), AppError> {
        if caller.organisations_with(Role::CommissioningAdministrator).is_empty() && !caller.is_service_desk() {
            return Err(AppError::Forbidden(
                "Only Commissioning Administrators and the Service Desk manage users".into(),
            ));
        }
        let not_found =
            || AppError::NotFound("There is no user with this reference in the organisations you administer".into());
        if uuid::Uuid::parse_str(user_id).is_err() {
            return Err(not_found());
        }
        let view = self.store.account_view(user_id).await?.ok_or_else(not_found)?;
        let mut administered = Vec::new();
        for membership in &view.memberships {
            if let Some(organisation) = self.store.organisation(&membership.organisation_code).await? {
                if caller.administers(&organisation) {
                    administered.push(organisation);
                }
            }
        }
        if administered.is_empty() {
            return Err(not_found());
        }
        Ok((view, administered))
    }
}

/// A revoke or enable about to happen: who asked, whose access, where.
pub struct MembershipChange {
    pub actor: String,
    pub membership: crate::store::records::MembershipRecord,
    pub organisation: Organisation,
}

impl MembershipChange {
    pub fn conflict(&self, refused: crate::domain::registration::TransitionRefused) -> AppError {
        AppError::conflict("membership-unchanged", refused.0)
    }

    /// Commits the change with its audit entry, then tells the person.
    pub async fn apply(
        self,
        app: &App,
        next: crate::domain::account::MembershipStatus,
        letter: fn(&crate::mail::templates::Addressee<'_>, &str) -> crate::mail::MailMessage,
    ) -> crate::http::HttpResult {
        app.store.change_membership(&self.membership, next, &self.actor, jiff::Timestamp::now()).await?;
        let m = &self.membership;
        let to =
            crate::mail::templates::Addressee { email: &m.email, first_name: &m.first_name, last_name: &m.last_name };
        let notification =
            app.notify(&letter(&to, &format!("{} ({})", self.organisation.name, self.organisation.code))).await;
        crate::http::json(
            200,
            &serde_json::json!({
                "userId": m.user_id,
                "organisationCode": m.organisation_code,
                "role": m.role,
                "status": next,
                "notification": notification,
            }),
        )
    }
}

impl App {
    /// Reads and checks a `/users/{id}/memberships/{organisationCode}/…` request:
    /// the caller administers the organisation, it is not their own access, the
    /// step is confirmed, and the membership exists.
    pub async fn membership_change(
        &self,
        request: &lambda_http::Request,
        what: &str,
    ) -> Result<MembershipChange, AppError> {
        use crate::domain::access_request::ConfirmForm;
        use crate::http::{json_body, path_param};
        let caller = self.caller(request).await?;
        let user_id = path_param(request, "id")?;
        let code = OdsCode::parse(&path_param(request, "organisationCode")?)
            .map_err(|_| AppError::NotFound("There is no organisation with this code".into()))?;
        let organisation = self.known_organisation(&code).await?;
        caller.may_manage(&user_id, &organisation)?;
        json_body::<ConfirmForm>(request)?.require(what)?;
        let not_found = || AppError::NotFound(format!("This person has no access to {} to change", organisation.name));
        if uuid::Uuid::parse_str(&user_id).is_err() {
            return Err(not_found());
        }
        let view = self.store.account_view(&user_id).await?.ok_or_else(not_found)?;
        let membership =
            view.memberships.into_iter().find(|m| m.organisation_code == organisation.code).ok_or_else(not_found)?;
        Ok(MembershipChange { actor: caller.user_id, membership, organisation })
    }

    /// Disables a whole account (by an administrator or by its owner): every
    /// organisation, sign-in too; data is kept.
    pub async fn disable_account(
        &self,
        view: &AccountView,
        reason: &crate::domain::lifecycle::DisableReason,
        actor: &str,
    ) -> crate::http::HttpResult {
        let next = view.account.status.disable().map_err(|r| AppError::conflict("account-unchanged", r.0))?;
        self.store
            .change_account(&view.account, &view.memberships, next, Some(reason), actor, jiff::Timestamp::now())
            .await?;
        let sign_in = self.switch_sign_in(&view.account.email, false).await;
        let a = &view.account;
        let to =
            crate::mail::templates::Addressee { email: &a.email, first_name: &a.first_name, last_name: &a.last_name };
        let notification =
            self.notify(&crate::mail::templates::account_disabled(&to, &reason.label(), actor == a.user_id)).await;
        crate::http::json(
            200,
            &serde_json::json!({
                "id": a.user_id,
                "status": next,
                "reason": reason.label(),
                "signIn": sign_in,
                "notification": notification,
            }),
        )
    }

    /// Enables a disabled account again, sign-in too.
    pub async fn enable_account(&self, view: &AccountView, actor: &str) -> crate::http::HttpResult {
        let next = view.account.status.enable().map_err(|r| AppError::conflict("account-unchanged", r.0))?;
        self.store.change_account(&view.account, &view.memberships, next, None, actor, jiff::Timestamp::now()).await?;
        let sign_in = self.switch_sign_in(&view.account.email, true).await;
        let a = &view.account;
        let to =
            crate::mail::templates::Addressee { email: &a.email, first_name: &a.first_name, last_name: &a.last_name };
        let notification = self.notify(&crate::mail::templates::account_enabled(&to)).await;
        crate::http::json(
            200,
            &serde_json::json!({ "id": a.user_id, "status": next, "signIn": sign_in, "notification": notification }),
        )
    }

    /// The account's status already decides every API call; the user pool is
    /// switched too so sign-in says the same. A failure is reported, not fatal.
    async fn switch_sign_in(&self, email: &str, enabled: bool) -> &'static str {
        match self.directory().set_sign_in_enabled(email, enabled).await {
            Ok(()) if enabled => "enabled",
            Ok(()) => "disabled",
            Err(error) => {
                tracing::error!(error = %error, "user pool sign-in not switched");
                "unchanged"
            }
        }
    }
}
