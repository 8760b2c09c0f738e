//! The Users section: memberships by organisation, and the steps that change
//! access (revoke, enable, disable, enable account, profile), each one
//! transaction with its audit entries and the administrator head-count.

use super::accounts::AccountView;
use super::audit::AuditEntry;
use super::records::{AccountRecord, MembershipRecord};
use super::{applied, cursor, keys, n, s, Page, Store, TransactFailure};
use crate::domain::account::{AccountStatus, MembershipStatus};
use crate::domain::audit_action::AuditAction;
use crate::domain::lifecycle::DisableReason;
use crate::domain::listing::Order;
use crate::domain::ods::OdsCode;
use crate::domain::role::Role;
use crate::domain::timestamp::Timestamp;
use crate::error::AppError;
use crate::error::ConflictKind;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use serde_json::json;
use std::collections::HashMap;

pub const LAST_ADMINISTRATOR: &str =
    "This is the last active Commissioning Administrator of the organisation. Give someone else the role first";

/// Options for the Users list.
pub struct UserListing<'a> {
    pub organisation: &'a OdsCode,
    pub status: Option<MembershipStatus>,
    pub order: Order,
    pub limit: i32,
    pub cursor: Option<&'a str>,
}

impl Store {
    /// One page of an organisation's members, by name; rejected requests only when asked for.
    pub async fn members(&self, listing: &UserListing<'_>) -> Result<Page<MembershipRecord>, AppError> {
        let partition = keys::members(listing.organisation);
        let start = listing
            .cursor
            .map(|c| {
                cursor::decode(
                    self.cursor_key(),
                    c,
                    "members",
                    &[keys::PK, keys::SK, keys::GSI1PK, keys::GSI1SK],
                    (keys::GSI1PK, &partition),
                )
            })
            .transpose()?;
        let (filter, wanted) = match listing.status {
            Some(status) => ("#status = :status", super::status_value(status)),
            None => ("#status <> :status", super::status_value(MembershipStatus::Rejected)),
        };
        let query = self
            .gsi1_query(&partition)
            .filter_expression(filter)
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":status", s(&wanted))
            .scan_index_forward(listing.order == Order::Ascending);
        let key_names = [keys::PK, keys::SK, keys::GSI1PK, keys::GSI1SK];
        let (found, start) = self.list_page(&query, &key_names, start, listing.limit, "listing users").await?;
        let items = found.into_iter().map(Self::from_item).collect::<Result<Vec<MembershipRecord>, _>>()?;
        let next_cursor = start.as_ref().and_then(|key| cursor::encode(self.cursor_key(), "members", &partition, key));
        Ok(Page { items, next_cursor })
    }

    /// Everyone who actively holds `role` in an organisation (a practice's
    /// approvers, say): a handful, read to the end.
    pub async fn active_members_with(
        &self, organisation: &OdsCode, role: Role,
    ) -> Result<Vec<MembershipRecord>, AppError> {
        let query = self
            .gsi1_query(keys::members(organisation))
            .filter_expression("#status = :active AND #role = :role")
            .expression_attribute_names("#status", "status")
            .expression_attribute_names("#role", "role")
            .expression_attribute_values(":active", s(super::status_value(MembershipStatus::Active)))
            .expression_attribute_values(":role", Self::to_attribute(&role)?);
        let items = self.query_items(query, "finding an organisation's approvers").await?;
        items.into_iter().map(Self::from_item).collect()
    }

    /// Accounts by id, in one batch read (for names, status and last sign-in on a page).
    pub async fn accounts(&self, user_ids: &[String]) -> Result<HashMap<String, AccountRecord>, AppError> {
        let keys = user_ids.iter().map(|id| (keys::user(id), keys::PROFILE.to_string())).collect();
        let accounts: Vec<AccountRecord> = self.batch_get(keys).await?;
        Ok(accounts.into_iter().map(|account| (account.user_id.clone(), account)).collect())
    }

    /// The administrator head-count of an organisation moves with every
    /// Commissioning Administrator membership that becomes active or stops being
    /// so; it may never reach zero.
    pub(crate) fn administrator_count(
        &self, organisation: &OdsCode, delta: i64,
    ) -> Result<TransactWriteItem, AppError> {
        let mut update = Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(keys::organisation(organisation), keys::ADMINISTRATORS)))
            .expression_attribute_values(":one", n(1));
        update = if delta > 0 {
            update
                .update_expression("SET active = if_not_exists(active, :zero) + :one")
                .expression_attribute_values(":zero", n(0))
        } else {
            update.update_expression("SET active = active - :one").condition_expression("active > :one")
        };
        let update = update.build().map_err(|e| AppError::Internal(format!("building update: {e}")))?;
        Ok(TransactWriteItem::builder().update(update).build())
    }

    /// Revoke or enable one membership.
    pub async fn change_membership(
        &self, membership: &MembershipRecord, to: MembershipStatus, actor: &str, now: Timestamp,
    ) -> Result<(), AppError> {
        let at = keys::instant(now);
        let action = if to == MembershipStatus::Revoked {
            AuditAction::MembershipRevoked
        } else {
            AuditAction::MembershipEnabled
        };
        let mut items = vec![self.status_change(
            Self::key(membership.pk.clone(), membership.sk.clone()),
            membership.status,
            to,
            &at,
            &[],
        )?];
        let counted = membership.role == Role::CommissioningAdministrator;
        if counted {
            let delta = if to == MembershipStatus::Active { 1 } else { -1 };
            items.push(self.administrator_count(&membership.organisation_code, delta)?);
        }
        items.push(
            self.put(
                &AuditEntry {
                    actor,
                    action,
                    target: keys::user(&membership.user_id),
                    organisation: &membership.organisation_code,
                    before: Some(json!({"status": membership.status, "role": membership.role})),
                    after: Some(json!({"status": to, "role": membership.role})),
                }
                .record(now),
                true,
            )?,
        );
        self.transact(items).await.map_err(|failure| match failure {
            TransactFailure::ConditionFailed(failed) if counted && failed.contains(&1) => {
                AppError::conflict(ConflictKind::LastAdministrator, LAST_ADMINISTRATOR)
            }
            other => other.into_conflict(
                ConflictKind::AlreadyChanged,
                "Someone else changed this access at the same moment. Refresh the page to see it now",
            ),
        })
    }

    /// Disable or enable a whole account; the head-count follows its active
    /// administrator memberships.
    pub async fn change_account(
        &self, account: &AccountRecord, memberships: &[MembershipRecord], to: AccountStatus,
        reason: Option<&DisableReason>, actor: &str, now: Timestamp,
    ) -> Result<(), AppError> {
        let at = keys::instant(now);
        let mut also = Vec::new();
        match reason {
            Some(reason) => also.push(("disabledReason", s(reason.label()))),
            // Enabled again: the old reason no longer describes the account.
            None if to == AccountStatus::Active => also.push(("disabledReason", AttributeValue::Null(true))),
            None => {}
        }
        let mut items = vec![self.status_change(
            Self::key(account.pk.clone(), account.sk.clone()),
            account.status,
            to,
            &at,
            &also,
        )?];
        let mut counters = Vec::new();
        for membership in memberships
            .iter()
            .filter(|m| m.status == MembershipStatus::Active && m.role == Role::CommissioningAdministrator)
        {
            counters.push(items.len());
            let delta = if to == AccountStatus::Active { 1 } else { -1 };
            items.push(self.administrator_count(&membership.organisation_code, delta)?);
        }
        let action =
            if to == AccountStatus::Disabled { AuditAction::AccountDisabled } else { AuditAction::AccountEnabled };
        let mut organisations: Vec<&OdsCode> = memberships.iter().map(|m| &m.organisation_code).collect();
        organisations.dedup();
        for organisation in organisations {
            items.push(
                self.put(
                    &AuditEntry {
                        actor,
                        action,
                        target: keys::user(&account.user_id),
                        organisation,
                        before: Some(json!({"status": account.status})),
                        after: Some(json!({"status": to, "reason": reason.map(DisableReason::label)})),
                    }
                    .record(now),
                    true,
                )?,
            );
        }
        self.transact(items).await.map_err(|failure| match failure {
            TransactFailure::ConditionFailed(failed) if failed.iter().any(|i| counters.contains(i)) => {
                AppError::conflict(ConflictKind::LastAdministrator, LAST_ADMINISTRATOR)
            }
            other => other.into_conflict(
                ConflictKind::AlreadyChanged,
                "Someone else changed this account at the same moment. Refresh the page to see it now",
            ),
        })
    }

    /// Changes a person's name on the account and on every membership (the Users list sorts by it).
    pub async fn update_profile(
        &self, account: &AccountRecord, memberships: &[MembershipRecord], first_name: &str, last_name: &str,
        now: Timestamp,
    ) -> Result<(), AppError> {
        let at = keys::instant(now);
        let names = |update: aws_sdk_dynamodb::types::builders::UpdateBuilder| {
            update
                .expression_attribute_values(":first", s(first_name))
                .expression_attribute_values(":last", s(last_name))
                .expression_attribute_values(":at", s(&at))
        };
        let account_update = names(
            Update::builder()
                .table_name(self.table())
                .set_key(Some(Self::key(account.pk.clone(), account.sk.clone())))
                .update_expression(
                    "SET firstName = :first, lastName = :last, updatedAt = :at, version = version + :one",
                )
                .condition_expression("version = :version")
                .expression_attribute_values(":one", n(1))
                .expression_attribute_values(":version", n(account.version)),
        )
        .build()
        .map_err(|e| AppError::Internal(format!("building update: {e}")))?;
        let mut items = vec![TransactWriteItem::builder().update(account_update).build()];
        for membership in memberships {
            let update = names(
                Update::builder()
                    .table_name(self.table())
                    .set_key(Some(Self::key(membership.pk.clone(), membership.sk.clone())))
                    .update_expression("SET firstName = :first, lastName = :last, GSI1SK = :sort, updatedAt = :at")
                    .expression_attribute_values(
                        ":sort",
                        s(MembershipRecord::directory_key(last_name, first_name, &account.user_id)),
                    ),
            )
            .build()
            .map_err(|e| AppError::Internal(format!("building update: {e}")))?;
            items.push(TransactWriteItem::builder().update(update).build());
            items.push(
                self.put(
                    &AuditEntry {
                        actor: &account.user_id,
                        action: AuditAction::ProfileUpdated,
                        target: keys::user(&account.user_id),
                        organisation: &membership.organisation_code,
                        before: Some(json!({"firstName": account.first_name, "lastName": account.last_name})),
                        after: Some(json!({"firstName": first_name, "lastName": last_name})),
                    }
                    .record(now),
                    true,
                )?,
            );
        }
        self.transact(items).await.map_err(|failure| {
            failure.into_conflict(
                ConflictKind::AlreadyChanged,
                "Your profile was changed elsewhere at the same moment. Refresh and try again",
            )
        })
    }

    /// Records that the person now signs in with an authenticator app (once:
    /// setting it up again changes nothing), with an audit entry in each
    /// organisation where a role of theirs needs one.
    pub async fn record_authenticator(&self, view: &AccountView, now: Timestamp) -> Result<bool, AppError> {
        let account = &view.account;
        // The session that set it up began without a code: it is refused from now on, whatever its second.
        let set_up_in = view.session.as_deref().map_or(AttributeValue::Null(true), s);
        let update = Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(account.pk.clone(), account.sk.clone())))
            .update_expression(AUTHENTICATOR_SET_UP)
            .condition_expression("attribute_exists(PK) AND attribute_not_exists(mfaEnabledAt)")
            .expression_attribute_values(":at", s(keys::instant(now)))
            .expression_attribute_values(":session", set_up_in)
            .expression_attribute_values(":one", n(1))
            .build()
            .map_err(|e| AppError::Internal(format!("building update: {e}")))?;
        let mut items = vec![TransactWriteItem::builder().update(update).build()];
        let mut organisations: Vec<&OdsCode> = view
            .memberships
            .iter()
            .filter(|m| m.status == MembershipStatus::Active && crate::domain::authenticator::needed_for(m.role))
            .map(|m| &m.organisation_code)
            .collect();
        organisations.dedup();
        for organisation in organisations {
            let audit = AuditEntry {
                actor: &account.user_id,
                action: AuditAction::AccountMfaEnabled,
                target: keys::user(&account.user_id),
                organisation,
                before: None,
                after: Some(json!({"signIn": "password and authenticator app"})),
            };
            items.push(self.put(&audit.record(now), true)?);
        }
        match self.transact(items).await {
            Ok(()) => Ok(true),
            Err(TransactFailure::ConditionFailed(_)) => Ok(false),
            Err(failure) => Err(failure
                .into_conflict(ConflictKind::AlreadyChanged, "Your account changed at the same moment: try again")),
        }
    }

    /// Records that a session (a sign-in, `origin_jti`) was signed out: its
    /// tokens are refused from now, in every tab. Kept until no token of it can
    /// still be good (the refresh token's 12 hours and an access token's hour).
    pub async fn end_session(&self, user_id: &str, session: &str, now: Timestamp) -> Result<(), AppError> {
        let keep_until = jiff::Timestamp::from(now).as_second() + 13 * 3600;
        self.client()
            .put_item()
            .table_name(self.table())
            .item(keys::PK, s(keys::user(user_id)))
            .item(keys::SK, s(format!("{}{session}", keys::ENDED_SESSION_PREFIX)))
            .item("ttl", n(keep_until))
            .send()
            .await
            .map_err(crate::error::dependency("recording the sign-out"))?;
        Ok(())
    }

    /// Records a new sign-in (the token's `auth_time`), once per sign-in.
    pub async fn record_sign_in(&self, user_id: &str, signed_in_at: Timestamp) -> Result<(), AppError> {
        let at = keys::instant(signed_in_at);
        let result = self
            .client()
            .update_item()
            .table_name(self.table())
            .set_key(Some(Self::key(keys::user(user_id), keys::PROFILE)))
            .update_expression("SET lastSignInAt = :at")
            .condition_expression("attribute_exists(PK) AND (attribute_not_exists(lastSignInAt) OR lastSignInAt < :at)")
            .expression_attribute_values(":at", s(at))
            .send()
            .await;
        // Not applied: a later sign-in is already recorded.
        applied(result, "recording the sign-in").map(|_| ())
    }
}

/// When the app was set up, and the sign-in it was set up in.
const AUTHENTICATOR_SET_UP: &str =
    "SET mfaEnabledAt = :at, mfaSetUpIn = :session, updatedAt = :at, version = version + :one";
