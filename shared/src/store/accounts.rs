//! Accounts and memberships: everything needed to authorise a caller, in one query.

use super::records::{AccountRecord, MarkerRecord, MembershipRecord};
use super::{keys, s, Store};
use crate::domain::account::{Caller, Membership};
use crate::error::{dependency, AppError};

pub struct AccountView {
    pub account: AccountRecord,
    pub memberships: Vec<MembershipRecord>,
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
        Ok(account.map(|account| AccountView { account, memberships }))
    }
}
