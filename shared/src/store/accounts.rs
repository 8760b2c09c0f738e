//! Accounts and memberships: everything needed to authorise a caller, in one query.

use super::audit::AuditEntry;
use super::records::{AccountRecord, MarkerRecord, MembershipRecord};
use super::{keys, s, Store};
use crate::domain::account::{Caller, Membership};
use crate::error::{dependency, AppError};
use jiff::Timestamp;
use serde_json::json;

pub struct AccountView {
    pub account: AccountRecord,
    pub memberships: Vec<MembershipRecord>,
    /// When the caller signed in (the token's `auth_time`), for a signed-in view.
    pub signed_in_at: Option<jiff::Timestamp>,
}

impl AccountView {
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
        let marker: Option<MarkerRecord> = self.get(keys::subject(subject), "SUBJECT").await?;
        Ok(marker.map(|m| m.user_id))
    }

    /// The account that holds this email (pending or active), if any.
    pub async fn user_id_for_email(&self, email: &str) -> Result<Option<String>, AppError> {
        let marker: Option<MarkerRecord> = self.get(keys::email(email), "EMAIL").await?;
        Ok(marker.map(|m| m.user_id))
    }

    /// The account and every membership, strongly consistent, in one round trip.
    pub async fn account_view(&self, user_id: &str) -> Result<Option<AccountView>, AppError> {
        let mut account = None;
        let mut memberships = Vec::new();
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
                }
            }
            match output.last_evaluated_key {
                Some(key) => start = Some(key),
                None => break,
            }
        }
        Ok(account.map(|account| AccountView { account, memberships, signed_in_at: None }))
    }
}

impl Store {
    /// Writes an already-active account with its memberships and sign-in mapping
    /// (people set up by the operator, such as the Service Desk). 409 if the email is taken.
    pub async fn create_active_user(
        &self,
        account: &AccountRecord,
        memberships: &[MembershipRecord],
        actor: &str,
        now: Timestamp,
    ) -> Result<(), AppError> {
        let subject = account
            .subject
            .as_deref()
            .ok_or_else(|| AppError::Internal("an active user needs a sign-in subject".into()))?;
        let mut items = vec![
            self.put(
                &MarkerRecord { pk: keys::email(&account.email), sk: "EMAIL".into(), user_id: account.user_id.clone() },
                true,
            )?,
            self.put(
                &MarkerRecord { pk: keys::subject(subject), sk: "SUBJECT".into(), user_id: account.user_id.clone() },
                true,
            )?,
            self.put(account, true)?,
        ];
        for membership in memberships {
            items.push(self.put(membership, true)?);
            if membership.role == crate::domain::role::Role::CommissioningAdministrator
                && membership.status == crate::domain::account::MembershipStatus::Active
            {
                items.push(self.administrator_count(&membership.organisation_code, 1)?);
            }
            let audit = AuditEntry {
                actor,
                action: "membership.created",
                target: keys::user(&account.user_id),
                organisation: &membership.organisation_code,
                before: None,
                after: Some(json!({"role": membership.role, "status": membership.status})),
            }
            .record(now);
            items.push(self.put(&audit, true)?);
        }
        self.transact(items)
            .await
            .map_err(|f| f.into_conflict("duplicate-account", "An account already exists for this email address"))
    }
}
