//! Accounts and memberships: everything needed to authorise a caller, in one query.

use super::audit::AuditEntry;
use super::records::{AccountRecord, MarkerRecord, MembershipRecord, NewPerson};
use super::{keys, s, Store};
use crate::domain::account::{Caller, Membership, MembershipStatus};
use crate::domain::audit_action::AuditAction;
use crate::domain::organisation::Organisation;
use crate::domain::role::Role;
use crate::domain::timestamp::Timestamp;
use crate::error::ConflictKind;
use crate::error::{dependency, AppError};
use serde_json::json;

pub struct AccountView {
    pub account: AccountRecord,
    pub memberships: Vec<MembershipRecord>,
    /// The person's sessions that were signed out (and are not yet past their last possible token).
    pub ended_sessions: Vec<String>,
    /// When the caller signed in (the token's `auth_time`), for a signed-in view.
    pub signed_in_at: Option<jiff::Timestamp>,
    /// The sign-in the caller's token came from (`origin_jti`), for a signed-in view.
    pub session: Option<String>,
}

impl AccountView {
    /// Whether this session may do what needs an authenticator app: begun
    /// with a code, that is after the app was set up and not the session
    /// that set it up (tokens tell the second only).
    pub fn authenticator_standing(&self) -> crate::domain::authenticator::Standing {
        let set_up_at = self.account.mfa_enabled_at.map(jiff::Timestamp::from);
        let set_up_here = self.session.is_some() && self.account.mfa_set_up_in == self.session;
        crate::domain::authenticator::standing(&self.caller(), set_up_at, self.signed_in_at, set_up_here)
    }

    pub fn caller(&self) -> Caller {
        Caller {
            user_id: self.account.user_id.clone(),
            email: self.account.email.clone(),
            status: self.account.status,
            memberships: self
                .memberships
                .iter()
                .map(|m| Membership {
                    organisation_code: m.organisation_code.clone(),
                    organisation_name: m.organisation_name.clone(),
                    role: m.role,
                    status: m.status,
                })
                .collect(),
        }
    }
}

impl Store {
    /// The user id behind a user-pool subject (written when registration completes).
    pub async fn user_id_for_subject(&self, subject: &str) -> Result<Option<String>, AppError> {
        let marker: Option<MarkerRecord> = self.get(keys::subject(subject), keys::SUBJECT).await?;
        Ok(marker.map(|m| m.user_id))
    }

    /// The account that holds this email (pending or active), if any.
    pub async fn user_id_for_email(&self, email: &str) -> Result<Option<String>, AppError> {
        let marker: Option<MarkerRecord> = self.get(keys::email(email), keys::EMAIL).await?;
        Ok(marker.map(|m| m.user_id))
    }

    /// The account and every membership, strongly consistent, in one round trip.
    pub async fn account_view(&self, user_id: &str) -> Result<Option<AccountView>, AppError> {
        let mut account = None;
        let mut memberships = Vec::new();
        let mut ended_sessions = Vec::new();
        let now = jiff::Timestamp::now();
        let mut start = None;
        loop {
            let output = self
                .client()
                .query()
                .table_name(self.table())
                .key_condition_expression("PK = :pk")
                .expression_attribute_values(":pk", s(keys::user(user_id)))
                .consistent_read(true)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(dependency("reading the account"))?;
            for item in output.items.unwrap_or_default() {
                let sk = item.get(keys::SK).and_then(|v| v.as_s().ok()).cloned().unwrap_or_default();
                if sk == keys::PROFILE {
                    account = Some(Self::from_item::<AccountRecord>(item)?);
                } else if sk.starts_with(keys::MEMBERSHIP_PREFIX) {
                    memberships.push(Self::from_item::<MembershipRecord>(item)?);
                } else if let Some(session) = sk.strip_prefix(keys::ENDED_SESSION_PREFIX) {
                    // TTL removes them in time; until then their expiry is checked here.
                    let expires = item.get("ttl").and_then(|v| v.as_n().ok()).and_then(|n| n.parse::<i64>().ok());
                    if expires.is_none_or(|at| at > now.as_second()) {
                        ended_sessions.push(session.to_string());
                    }
                }
            }
            match output.last_evaluated_key {
                Some(key) => start = Some(key),
                None => break,
            }
        }
        Ok(account.map(|account| AccountView {
            account,
            memberships,
            ended_sessions,
            signed_in_at: None,
            session: None,
        }))
    }
}

impl Store {
    /// Writes an already-active account with its memberships and sign-in mapping
    /// (people set up by the operator, such as the Service Desk). 409 if the email is taken.
    /// Returns the new user id.
    pub async fn create_active_user(
        &self, person: &NewPerson<'_>, roles: &[(&Organisation, Role)], actor: &str, now: Timestamp,
    ) -> Result<String, AppError> {
        let account = &AccountRecord::active(person, now);
        let memberships: Vec<MembershipRecord> = roles
            .iter()
            .map(|(organisation, role)| {
                MembershipRecord::new(account, organisation, *role, MembershipStatus::Active, now)
            })
            .collect();
        let mut items = vec![
            self.put(&MarkerRecord::email(account), true)?,
            self.put(&MarkerRecord::subject(person.subject, &account.user_id), true)?,
            self.put(account, true)?,
        ];
        for membership in &memberships {
            items.push(self.put(membership, true)?);
            if membership.role == Role::CommissioningAdministrator && membership.status == MembershipStatus::Active {
                items.push(self.administrator_count(&membership.organisation_code, 1)?);
            }
            let audit = AuditEntry {
                actor,
                action: AuditAction::MembershipCreated,
                target: keys::user(&account.user_id),
                organisation: &membership.organisation_code,
                before: None,
                after: Some(json!({"role": membership.role, "status": membership.status})),
            }
            .record(now);
            items.push(self.put(&audit, true)?);
        }
        self.transact(items).await.map_err(|f| {
            f.into_conflict(ConflictKind::DuplicateAccount, "An account already exists for this email address")
        })?;
        Ok(account.user_id.clone())
    }
}
