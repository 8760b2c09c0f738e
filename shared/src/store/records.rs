//! Items as stored. Attribute names are camelCase; keys are upper-case.

use super::keys;
use crate::domain::access_request::AccessRequestStatus;
use crate::domain::account::{AccountStatus, MembershipStatus};
use crate::domain::invitation::InvitationStatus;
use crate::domain::ods::OdsCode;
use crate::domain::organisation::Organisation;
use crate::domain::person::PersonNames;
use crate::domain::registration::RegistrationStatus;
use crate::domain::role::{OrganisationKind, Role};
use crate::domain::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrganisationRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub code: OdsCode,
    pub name: String,
    pub kind: OrganisationKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commissioner: Option<OdsCode>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub organisation_type: Option<crate::domain::organisation::OrganisationType>,
    /// A commissioner's setting: single- or multi-service claims.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim_submission: Option<crate::domain::organisation::ClaimSubmission>,
    /// A provider that claims any time, without claim windows.
    #[serde(default)]
    pub claims_any_time: bool,
    /// A provider's setting: a user's claim waits for one of its approvers.
    #[serde(default)]
    pub claims_need_approval: bool,
    /// A commissioner's setting: at or above this total, Tier 2 approval needs
    /// Finance too (unset: `review::DEFAULT_FINANCE_THRESHOLD`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finance_threshold: Option<crate::domain::money::Money>,
    #[serde(default)]
    pub version: u64,
    /// The keyed practice-file import that added it (`Keyed::sent_as`), so
    /// the same import sent again reports it added, as the first did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported_with: Option<String>,
    /// The commissioner's provider list (`PROVIDERS#<ods>`) or `COMMISSIONERS`, by name.
    #[serde(rename = "GSI1PK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi1pk: Option<String>,
    #[serde(rename = "GSI1SK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi1sk: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub user_id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub status: AccountStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sign_in_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disabled_reason: Option<String>,
    /// When the person set up an authenticator app (sign-ins since ask for its code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_enabled_at: Option<Timestamp>,
    /// The sign-in (`origin_jti`) the app was set up in: it began without a
    /// code, even in the very second of the set-up.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_set_up_in: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: u64,
}

/// A role held in an organisation. Carries the person's name so the Users list
/// (GSI1, `MEMBERS#<ods>`, by name) needs no second read to sort.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MembershipRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub user_id: String,
    pub organisation_code: OdsCode,
    pub organisation_name: String,
    pub role: Role,
    pub status: MembershipStatus,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub first_name: String,
    #[serde(default)]
    pub last_name: String,
    /// Set while the membership comes from an access request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_request_id: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub version: u64,
    #[serde(rename = "GSI1PK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi1pk: Option<String>,
    #[serde(rename = "GSI1SK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi1sk: Option<String>,
}

impl MembershipRecord {
    pub(crate) fn new(
        account: &AccountRecord, organisation: &Organisation, role: Role, status: MembershipStatus, now: Timestamp,
    ) -> Self {
        Self {
            pk: keys::user(&account.user_id),
            sk: keys::membership(&organisation.code),
            user_id: account.user_id.clone(),
            organisation_code: organisation.code.clone(),
            organisation_name: organisation.name.clone(),
            role,
            status,
            email: account.email.clone(),
            first_name: account.first_name.clone(),
            last_name: account.last_name.clone(),
            access_request_id: None,
            created_at: now,
            updated_at: now,
            version: 1,
            gsi1pk: Some(keys::members(&organisation.code)),
            gsi1sk: Some(Self::directory_key(&account.last_name, &account.first_name, &account.user_id)),
        }
    }

    /// Sorts the Users list by last name, then first name.
    pub(crate) fn directory_key(last_name: &str, first_name: &str, user_id: &str) -> String {
        format!("{}\u{1}{user_id}", keys::name_order(last_name, first_name))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RegistrationRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub id: String,
    pub user_id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub organisation_code: OdsCode,
    pub organisation_name: String,
    pub role: Role,
    pub status: RegistrationStatus,
    /// `ReviewQueue::key()`: who may review it.
    pub review_queue: String,
    pub generic_email: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generic_email_reason: Option<String>,
    pub submitted_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
    pub version: u64,
    /// Present only while pending: the sparse work-list indexes.
    #[serde(rename = "GSI1PK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi1pk: Option<String>,
    #[serde(rename = "GSI1SK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi1sk: Option<String>,
    #[serde(rename = "GSI2SK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi2sk: Option<String>,
    #[serde(rename = "GSI3SK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi3sk: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub purpose: String,
    pub registration_id: String,
    pub user_id: String,
    pub email: String,
    pub organisation_code: OdsCode,
    /// The role being granted (decides the administrator head-count).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<Role>,
    pub expires_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_at: Option<Timestamp>,
    /// Epoch seconds for DynamoDB TTL housekeeping; expiry itself is checked in code.
    pub(crate) ttl: i64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MarkerRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub user_id: String,
}

/// One audit entry; never updated or deleted.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub id: String,
    pub at: Timestamp,
    /// A user id, or "public" for unauthenticated steps.
    pub actor: String,
    pub action: String,
    pub target: String,
    pub organisation_code: OdsCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<serde_json::Value>,
    /// The person an entry is about when its target is another record (the
    /// access request a person made), so `GET /audit?user=` finds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub about: Option<String>,
    /// The indexes the trail's filters read (`AuditRecord::indexed`): whom it
    /// is about (GSI1), who did it (GSI4) and its action (GSI6), each sorted as SK.
    #[serde(rename = "GSI1PK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi1pk: Option<String>,
    #[serde(rename = "GSI1SK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi1sk: Option<String>,
    #[serde(rename = "GSI4PK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi4pk: Option<String>,
    #[serde(rename = "GSI4SK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi4sk: Option<String>,
    #[serde(rename = "GSI6PK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi6pk: Option<String>,
    #[serde(rename = "GSI6SK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi6sk: Option<String>,
}

/// The stored half of an emailed invitation link.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvitationTokenRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    /// Always "invitation": a registration link cannot accept an invitation.
    pub purpose: String,
    pub invitation_id: String,
    /// Whom and where the invitation is for (never change once sent), so
    /// accepting reads the person's account and the organisation beside the
    /// invitation itself. Absent on links sent before they were kept here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation_code: Option<OdsCode>,
    pub expires_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub used_at: Option<Timestamp>,
    pub(crate) ttl: i64,
}

impl MarkerRecord {
    pub(crate) fn email(account: &AccountRecord) -> Self {
        Self { pk: keys::email(&account.email), sk: keys::EMAIL.into(), user_id: account.user_id.clone() }
    }

    pub(crate) fn subject(subject: &str, user_id: &str) -> Self {
        Self { pk: keys::subject(subject), sk: keys::SUBJECT.into(), user_id: user_id.to_string() }
    }
}

impl AccountRecord {
    /// A new account that can be used at once (an invited person, a demo user).
    pub(crate) fn active(person: &NewPerson<'_>, now: Timestamp) -> Self {
        let mut account = Self::new(uuid::Uuid::now_v7().to_string(), person.names, AccountStatus::Active, now);
        account.subject = Some(person.subject.to_string());
        account
    }

    /// A new account, never signed in, in the state given.
    pub(crate) fn new(user_id: String, person: PersonNames<'_>, status: AccountStatus, now: Timestamp) -> Self {
        Self {
            pk: keys::user(&user_id),
            sk: keys::PROFILE.into(),
            user_id,
            email: person.email.to_string(),
            first_name: person.first_name.to_string(),
            last_name: person.last_name.to_string(),
            status,
            subject: None,
            last_sign_in_at: None,
            disabled_reason: None,
            mfa_enabled_at: None,
            mfa_set_up_in: None,
            created_at: now,
            updated_at: now,
            version: 1,
        }
    }
}

/// Someone whose sign-in already exists in the user pool (`subject`).
pub struct NewPerson<'a> {
    pub names: PersonNames<'a>,
    pub subject: &'a str,
}

impl InvitationTokenRecord {
    pub(crate) fn issued(invitation: &InvitationRecord, issued: &crate::domain::completion_token::IssuedToken) -> Self {
        Self {
            pk: keys::token(&issued.hash),
            sk: keys::TOKEN.into(),
            purpose: "invitation".into(),
            invitation_id: invitation.id.clone(),
            email: Some(invitation.email.clone()),
            organisation_code: Some(invitation.organisation_code.clone()),
            expires_at: issued.expires_at.into(),
            used_at: None,
            ttl: issued.expires_at.as_second() + 90 * 24 * 3600,
        }
    }

    /// The email and organisation the invitation is for, where the link keeps them.
    pub fn addressed_to(&self) -> Option<(&str, &OdsCode)> {
        Some((self.email.as_deref()?, self.organisation_code.as_ref()?))
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InvitationRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub organisation_code: OdsCode,
    pub organisation_name: String,
    pub role: Role,
    pub status: InvitationStatus,
    pub invited_by: String,
    /// The account the email belonged to when invited, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub existing_user_id: Option<String>,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub token_hash: String,
    pub version: u64,
    /// Present only while pending: the organisation's invitation list.
    #[serde(rename = "GSI1PK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi1pk: Option<String>,
    #[serde(rename = "GSI1SK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi1sk: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessRequestRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub id: String,
    pub user_id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub organisation_code: OdsCode,
    pub organisation_name: String,
    pub role: Role,
    pub status: AccessRequestStatus,
    pub review_queue: String,
    pub submitted_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_reason: Option<String>,
}

/// Each record below names its person by `email`, `first_name` and `last_name`.
macro_rules! named_by_fields {
    ($($record:ty),+) => {$(
        impl $record {
            /// Whom the record names.
            pub fn names(&self) -> PersonNames<'_> {
                PersonNames { email: &self.email, first_name: &self.first_name, last_name: &self.last_name }
            }
        }
    )+};
}

named_by_fields!(AccountRecord, MembershipRecord, RegistrationRecord, InvitationRecord, AccessRequestRecord);
