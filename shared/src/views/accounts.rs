//! JSON shapes the API returns, kept apart from how items are stored.

use crate::domain::account::{AccountStatus, MembershipStatus};
use crate::domain::authenticator::{self, Standing};
use crate::domain::money::Money;
use crate::domain::ods::OdsCode;
use crate::domain::organisation::{ClaimSubmission, OrganisationType};
use crate::domain::person::PersonNames;
use crate::domain::review::DEFAULT_FINANCE_THRESHOLD;
use crate::domain::role::{OrganisationKind, Role};
use crate::domain::timestamp::Timestamp;
use crate::store::accounts::AccountView;
use crate::store::records::{
    AccountRecord, InvitationRecord, MembershipRecord, OrganisationRecord, RegistrationRecord,
};
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoleView {
    pub code: Role,
    pub label: &'static str,
}

impl From<Role> for RoleView {
    fn from(role: Role) -> Self {
        Self { code: role, label: role.label() }
    }
}

/// An invitation still waiting to be accepted, as Invitations lists it.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvitationView<'a> {
    pub id: &'a str,
    #[serde(flatten)]
    pub person: PersonNames<'a>,
    pub role: RoleView,
    pub sent_at: Timestamp,
    pub expires_at: Timestamp,
    /// Past its expiry: it can only be resent or cancelled.
    pub expired: bool,
}

impl<'a> InvitationView<'a> {
    pub fn of(invitation: &'a InvitationRecord, now: Timestamp) -> Self {
        InvitationView {
            id: &invitation.id,
            person: invitation.names(),
            role: invitation.role.into(),
            sent_at: invitation.created_at,
            expires_at: invitation.expires_at,
            expired: invitation.expires_at <= now,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PendingRegistrationView<'a> {
    pub id: &'a str,
    pub submitted_at: crate::domain::timestamp::Timestamp,
    #[serde(flatten)]
    pub person: PersonNames<'a>,
    pub organisation_code: &'a str,
    pub organisation_name: &'a str,
    pub role: RoleView,
    pub generic_email: bool,
    pub generic_email_reason: Option<&'a str>,
}

impl<'a> From<&'a RegistrationRecord> for PendingRegistrationView<'a> {
    fn from(r: &'a RegistrationRecord) -> Self {
        Self {
            id: &r.id,
            submitted_at: r.submitted_at,
            person: r.names(),
            organisation_code: r.organisation_code.as_str(),
            organisation_name: &r.organisation_name,
            role: r.role.into(),
            generic_email: r.generic_email,
            generic_email_reason: r.generic_email_reason.as_deref(),
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MembershipView<'a> {
    pub organisation_code: &'a str,
    pub organisation_name: &'a str,
    pub role: RoleView,
    pub status: crate::domain::account::MembershipStatus,
}

#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfileView<'a> {
    pub id: &'a str,
    #[serde(flatten)]
    pub person: PersonNames<'a>,
    pub status: crate::domain::account::AccountStatus,
    pub memberships: Vec<MembershipView<'a>>,
    pub mfa: AuthenticatorView,
}

/// Where the person stands with signing in by authenticator app.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuthenticatorView {
    /// Their roles need one.
    pub required: bool,
    /// They have set one up.
    pub enabled: bool,
    /// This session began with a code from it.
    pub signed_in_with_code: bool,
}

impl<'a> From<&'a AccountView> for ProfileView<'a> {
    fn from(view: &'a AccountView) -> Self {
        Self {
            id: &view.account.user_id,
            person: view.account.names(),
            status: view.account.status,
            memberships: view
                .memberships
                .iter()
                .map(|m| MembershipView {
                    organisation_code: m.organisation_code.as_str(),
                    organisation_name: &m.organisation_name,
                    role: m.role.into(),
                    status: m.status,
                })
                .collect(),
            mfa: {
                let enabled = view.account.mfa_enabled_at.is_some();
                AuthenticatorView {
                    required: authenticator::needed_by(&view.caller()),
                    enabled,
                    signed_in_with_code: enabled && view.authenticator_standing() == Standing::Satisfied,
                }
            },
        }
    }
}

/// One row of the Users section: a person's role in the organisation listed.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserRowView<'a> {
    pub user_id: &'a str,
    #[serde(flatten)]
    pub person: PersonNames<'a>,
    pub role: RoleView,
    pub membership_status: crate::domain::account::MembershipStatus,
    /// Present while the row is an access request waiting for review.
    pub access_request_id: Option<&'a str>,
    pub account_status: Option<crate::domain::account::AccountStatus>,
    pub last_sign_in_at: Option<crate::domain::timestamp::Timestamp>,
}

impl<'a> UserRowView<'a> {
    pub fn new(
        membership: &'a crate::store::records::MembershipRecord,
        account: Option<&'a crate::store::records::AccountRecord>,
    ) -> Self {
        Self {
            user_id: &membership.user_id,
            person: membership.names(),
            role: membership.role.into(),
            membership_status: membership.status,
            access_request_id: membership
                .access_request_id
                .as_deref()
                .filter(|_| membership.status == crate::domain::account::MembershipStatus::Pending),
            account_status: account.map(|a| a.status),
            last_sign_in_at: account.and_then(|a| a.last_sign_in_at),
        }
    }
}

/// An organisation as the API shows it.
/// A provider shows whether its users' claims need its approver; a
/// commissioner its Finance threshold.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationView<'a> {
    pub code: &'a OdsCode,
    pub name: &'a str,
    pub kind: OrganisationKind,
    #[serde(rename = "type")]
    pub organisation_type: Option<OrganisationType>,
    pub commissioner: Option<&'a OdsCode>,
    pub claim_submission: Option<ClaimSubmission>,
    pub claims_any_time: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claims_need_approval: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub finance_threshold: Option<Money>,
}

impl<'a> OrganisationView<'a> {
    pub fn of(record: &'a OrganisationRecord) -> Self {
        let provider = record.kind == OrganisationKind::Provider;
        let commissioner = record.kind == OrganisationKind::Commissioner;
        OrganisationView {
            code: &record.code,
            name: &record.name,
            kind: record.kind,
            organisation_type: record.organisation_type,
            commissioner: record.commissioner.as_ref(),
            claim_submission: record.claim_submission,
            claims_any_time: record.claims_any_time,
            claims_need_approval: provider.then_some(record.claims_need_approval),
            finance_threshold: commissioner.then(|| record.finance_threshold.unwrap_or(DEFAULT_FINANCE_THRESHOLD)),
        }
    }
}

/// The answer to a revoke or an enable of someone's access.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MembershipChanged<'a> {
    pub user_id: &'a str,
    pub organisation_code: &'a OdsCode,
    pub role: Role,
    pub status: MembershipStatus,
    pub notification: &'a str,
}

impl<'a> MembershipChanged<'a> {
    pub fn of(membership: &'a MembershipRecord, status: MembershipStatus, notification: &'a str) -> Self {
        MembershipChanged {
            user_id: &membership.user_id,
            organisation_code: &membership.organisation_code,
            role: membership.role,
            status,
            notification,
        }
    }
}

/// The answer to a disable or an enable of a whole account.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AccountChanged<'a> {
    pub id: &'a str,
    pub status: AccountStatus,
    /// What happened to the person's sign-in (kept, ended …).
    pub sign_in: &'a str,
    pub notification: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<&'a str>,
}

impl<'a> AccountChanged<'a> {
    pub fn of(
        account: &'a AccountRecord, status: AccountStatus, reason: Option<&'a str>, sign_in: &'a str,
        notification: &'a str,
    ) -> Self {
        AccountChanged { id: &account.user_id, status, sign_in, notification, reason }
    }
}

/// A role someone holds, with where they hold it (revoke and re-enable are per organisation).
#[derive(Serialize, utoipa::ToSchema)]
pub struct HeldRole<'a> {
    #[serde(flatten)]
    pub row: UserRowView<'a>,
    pub organisation: super::party::Party<'a>,
}

/// One person as their administrator sees them: their account, and their
/// roles in the organisations the administrator runs.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ManagedUserView<'a> {
    pub id: &'a str,
    #[serde(flatten)]
    pub person: PersonNames<'a>,
    pub status: AccountStatus,
    pub last_sign_in_at: Option<Timestamp>,
    pub disabled_reason: Option<&'a str>,
    pub organisations: Vec<super::party::Party<'a>>,
    pub memberships: Vec<HeldRole<'a>>,
}

impl<'a> ManagedUserView<'a> {
    /// `memberships`: the person's roles the administrator may see.
    pub fn of(account: &'a AccountRecord, memberships: &[&'a MembershipRecord]) -> Self {
        let at = |m: &'a MembershipRecord| super::party::Party::new(&m.organisation_code, &m.organisation_name);
        ManagedUserView {
            id: &account.user_id,
            person: account.names(),
            status: account.status,
            last_sign_in_at: account.last_sign_in_at,
            disabled_reason: account.disabled_reason.as_deref(),
            organisations: memberships.iter().map(|m| at(m)).collect(),
            memberships: memberships
                .iter()
                .map(|m| HeldRole { row: UserRowView::new(m, Some(account)), organisation: at(m) })
                .collect(),
        }
    }
}
