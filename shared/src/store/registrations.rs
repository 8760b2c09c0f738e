//! Registrations: create, list pending, approve, reject, complete — each one transaction.

use super::audit::AuditEntry;
use super::records::{AccountRecord, MarkerRecord, MembershipRecord, RegistrationRecord, TokenRecord};
use super::requests::Keyed;
use super::{keys, s, status_value, IndexList, Item, Page, Store, TransactFailure};
use crate::domain::account::{AccountStatus, MembershipStatus};
use crate::domain::audit_action::AuditAction;
use crate::domain::completion_token::IssuedToken;
use crate::domain::listing::{ListOptions, Order, PendingSort};
use crate::domain::organisation::{Organisation, ReviewQueue};
use crate::domain::registration::RegistrationStatus;
use crate::domain::registration::ValidRegistration;
use crate::domain::role::Role;
use crate::domain::timestamp::Timestamp;
use crate::error::AppError;
use crate::error::ConflictKind;
use aws_sdk_dynamodb::types::{Delete, TransactWriteItem, Update};
use serde_json::json;

/// Everything a new registration writes.
pub(crate) struct NewRegistration {
    pub registration: RegistrationRecord,
    pub account: AccountRecord,
    pub membership: MembershipRecord,
}

impl NewRegistration {
    /// The records a valid registration form creates: all pending, on the work lists.
    pub(crate) fn pending(
        form: &ValidRegistration, organisation: &Organisation, queue: &ReviewQueue,
        generic_email_reason: Option<String>, now: Timestamp,
    ) -> Self {
        let id = uuid::Uuid::now_v7().to_string();
        let user_id = uuid::Uuid::now_v7().to_string();
        let at = keys::instant(now);
        let work_list = keys::pending_registrations(&queue.key());
        let registration = RegistrationRecord {
            pk: keys::registration(&id),
            sk: keys::REGISTRATION.into(),
            id: id.clone(),
            user_id: user_id.clone(),
            email: form.email.to_string(),
            first_name: form.first_name.clone(),
            last_name: form.last_name.clone(),
            organisation_code: organisation.code.clone(),
            organisation_name: organisation.name.clone(),
            role: form.role,
            status: RegistrationStatus::Pending,
            review_queue: queue.key(),
            generic_email: generic_email_reason.is_some(),
            generic_email_reason,
            submitted_at: now,
            decided_at: None,
            decided_by: None,
            decision_reason: None,
            version: 1,
            gsi1pk: Some(work_list),
            gsi1sk: Some(format!("{at}#{id}")),
            gsi2sk: Some(format!("{}\u{1}{at}#{id}", keys::name_order(&form.last_name, &form.first_name))),
            gsi3sk: Some(format!("{}#{at}#{id}", organisation.code)),
        };
        let account = AccountRecord::new(user_id.clone(), registration.names(), AccountStatus::Pending, now);
        let membership = MembershipRecord::new(&account, organisation, form.role, MembershipStatus::Pending, now);
        Self { registration, account, membership }
    }
}

impl TokenRecord {
    /// The stored half of an emailed completion link.
    pub(crate) fn for_registration(registration: &RegistrationRecord, issued: &IssuedToken) -> Self {
        Self {
            pk: keys::token(&issued.hash),
            sk: keys::TOKEN.into(),
            purpose: "registration".into(),
            registration_id: registration.id.clone(),
            user_id: registration.user_id.clone(),
            email: registration.email.clone(),
            organisation_code: registration.organisation_code.clone(),
            role: Some(registration.role),
            expires_at: issued.expires_at.into(),
            used_at: None,
            ttl: issued.expires_at.as_second() + 90 * 24 * 3600,
        }
    }
}

impl Store {
    fn update(&self, key: Item) -> aws_sdk_dynamodb::types::builders::UpdateBuilder {
        Update::builder().table_name(self.table()).set_key(Some(key))
    }

    /// Writes the registration, its pending account and membership, the email
    /// marker and the audit entry; 409 if the email already has an account.
    /// Writes a valid registration, pending on its review queue, with the
    /// person's pending account and membership; returns the registration.
    pub async fn create_registration(
        &self, form: &ValidRegistration, organisation: &Organisation, queue: &ReviewQueue,
        generic_email_reason: Option<String>, keyed: Option<&Keyed<'_>>, now: Timestamp,
    ) -> Result<RegistrationRecord, AppError> {
        let new = &NewRegistration::pending(form, organisation, queue, generic_email_reason, now);
        let registration = &new.registration;
        let marker = MarkerRecord::email(&new.account);
        let audit = AuditEntry {
            actor: "public",
            action: AuditAction::RegistrationSubmitted,
            target: keys::registration(&registration.id),
            organisation: &registration.organisation_code,
            before: None,
            after: Some(json!({
                "status": "pending",
                "role": registration.role,
                "genericEmail": registration.generic_email,
            })),
        }
        .record(now);
        let mut items = vec![
            self.put(&marker, true)?,
            self.put(&new.account, true)?,
            self.put(&new.membership, true)?,
            self.put(registration, true)?,
            self.put(&audit, true)?,
        ];
        items.extend(self.keyed_marker(keyed, &registration.id, now)?);
        self.transact(items).await.map_err(|failure| {
            failure.into_conflict(
                ConflictKind::DuplicateRegistration,
                "An account or registration already exists for this email address. If it is yours, sign in; \
                 if you are waiting for approval, you will get an email when it has been reviewed",
            )
        })?;
        Ok(registration.clone())
    }

    pub async fn registration(&self, id: &str) -> Result<Option<RegistrationRecord>, AppError> {
        self.get(keys::registration(id), keys::REGISTRATION).await
    }

    /// One page of a review queue, in the chosen order.
    pub async fn pending_registrations(
        &self, queue_key: &str, options: ListOptions, cursor_text: Option<&str>,
    ) -> Result<Page<RegistrationRecord>, AppError> {
        let (index, sort_key, listing) = match options.sort {
            PendingSort::SubmittedAt => (keys::GSI1, keys::GSI1SK, "pending-by-date"),
            PendingSort::Name => (keys::GSI2, keys::GSI2SK, "pending-by-name"),
            PendingSort::Organisation => (keys::GSI3, keys::GSI3SK, "pending-by-organisation"),
        };
        let partition = keys::pending_registrations(queue_key);
        let list = IndexList {
            listing,
            index,
            sort_key,
            partition: &partition,
            prefix: None,
            ascending: options.order == Order::Ascending,
        };
        self.index_page(&list, options.limit, cursor_text).await
    }

    /// Moves a pending registration to its decision, off the work lists.
    fn decide_update(
        &self, registration: &RegistrationRecord, status: RegistrationStatus, reviewer: &str, reason: Option<&str>,
        now: Timestamp,
    ) -> Result<TransactWriteItem, AppError> {
        let set_reason = if reason.is_some() { "decisionReason = :reason, " } else { "" };
        let mut update = self
            .update(Self::key(keys::registration(&registration.id), keys::REGISTRATION))
            .update_expression(format!(
                "SET #status = :status, decidedAt = :at, decidedBy = :by, {set_reason}version = version + :one \
                 REMOVE GSI1PK, GSI1SK, GSI2SK, GSI3SK"
            ))
            .condition_expression("#status = :pending AND version = :version")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":status", s(status_value(status)))
            .expression_attribute_values(":pending", s(status_value(RegistrationStatus::Pending)))
            .expression_attribute_values(":at", s(keys::instant(now)))
            .expression_attribute_values(":by", s(reviewer))
            .expression_attribute_values(":one", super::n(1))
            .expression_attribute_values(":version", super::n(registration.version));
        if let Some(reason) = reason {
            update = update.expression_attribute_values(":reason", s(reason));
        }
        Self::built(update)
    }

    const ALREADY_REVIEWED: &'static str =
        "This registration has just been reviewed by someone else. Refresh the list to see its decision";

    pub async fn approve_registration(
        &self, registration: &RegistrationRecord, issued: &IssuedToken, reviewer: &str, now: Timestamp,
    ) -> Result<(), AppError> {
        let token = TokenRecord::for_registration(registration, issued);
        let audit = AuditEntry {
            actor: reviewer,
            action: AuditAction::RegistrationApproved,
            target: keys::registration(&registration.id),
            organisation: &registration.organisation_code,
            before: Some(json!({"status": "pending"})),
            after: Some(json!({"status": "approved"})),
        }
        .record(now)
        .about(&registration.user_id);
        let items = vec![
            self.decide_update(registration, RegistrationStatus::Approved, reviewer, None, now)?,
            self.put(&token, true)?,
            self.put(&audit, true)?,
        ];
        self.transact(items).await.map_err(|f| f.into_conflict(ConflictKind::AlreadyReviewed, Self::ALREADY_REVIEWED))
    }

    /// Rejects, closes the pending account and membership, and frees the email
    /// so the person can register again properly.
    pub async fn reject_registration(
        &self, registration: &RegistrationRecord, reason: &str, reviewer: &str, now: Timestamp,
    ) -> Result<(), AppError> {
        let at = keys::instant(now);
        let audit = AuditEntry {
            actor: reviewer,
            action: AuditAction::RegistrationRejected,
            target: keys::registration(&registration.id),
            organisation: &registration.organisation_code,
            before: Some(json!({"status": "pending"})),
            after: Some(json!({"status": "rejected", "reason": reason})),
        }
        .record(now)
        .about(&registration.user_id);
        let account = self.status_change(
            Self::key(keys::user(&registration.user_id), keys::PROFILE),
            AccountStatus::Pending,
            AccountStatus::Rejected,
            &at,
            &[],
        )?;
        let membership = self.status_change(
            Self::key(keys::user(&registration.user_id), keys::membership(&registration.organisation_code)),
            MembershipStatus::Pending,
            MembershipStatus::Rejected,
            &at,
            &[],
        )?;
        let marker = Delete::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(keys::email(&registration.email), keys::EMAIL)))
            .condition_expression("userId = :user")
            .expression_attribute_values(":user", s(&registration.user_id))
            .build()
            .map_err(|e| AppError::Internal(format!("building delete: {e}")))?;
        let items = vec![
            self.decide_update(registration, RegistrationStatus::Rejected, reviewer, Some(reason), now)?,
            account,
            membership,
            TransactWriteItem::builder().delete(marker).build(),
            self.put(&audit, true)?,
        ];
        self.transact(items).await.map_err(|f| f.into_conflict(ConflictKind::AlreadyReviewed, Self::ALREADY_REVIEWED))
    }

    pub async fn registration_token(&self, hash: &str) -> Result<Option<TokenRecord>, AppError> {
        self.get(keys::token(hash), keys::TOKEN).await
    }

    /// Uses the token once and activates the account, membership and sign-in mapping.
    pub async fn complete_registration(
        &self, token: &TokenRecord, subject: &str, now: Timestamp,
    ) -> Result<(), TransactFailure> {
        let at = keys::instant(now);
        let audit = AuditEntry {
            actor: &token.user_id,
            action: AuditAction::RegistrationCompleted,
            target: keys::registration(&token.registration_id),
            organisation: &token.organisation_code,
            before: Some(json!({"status": "approved"})),
            after: Some(json!({"status": "completed", "account": "active"})),
        }
        .record(now);
        let subject_marker =
            MarkerRecord { pk: keys::subject(subject), sk: keys::SUBJECT.into(), user_id: token.user_id.clone() };
        let use_token = self
            .update(Self::key(token.pk.clone(), "TOKEN"))
            .update_expression("SET usedAt = :at")
            .condition_expression("attribute_not_exists(usedAt) AND expiresAt > :at")
            .expression_attribute_values(":at", s(&at));
        let other = TransactFailure::Other;
        let mut items = vec![
            Self::built(use_token).map_err(other)?,
            self.status_change(
                Self::key(keys::registration(&token.registration_id), keys::REGISTRATION),
                RegistrationStatus::Approved,
                RegistrationStatus::Completed,
                &at,
                &[],
            )
            .map_err(other)?,
            self.status_change(
                Self::key(keys::user(&token.user_id), keys::PROFILE),
                AccountStatus::Pending,
                AccountStatus::Active,
                &at,
                &[("subject", s(subject))],
            )
            .map_err(other)?,
            self.status_change(
                Self::key(keys::user(&token.user_id), keys::membership(&token.organisation_code)),
                MembershipStatus::Pending,
                MembershipStatus::Active,
                &at,
                &[],
            )
            .map_err(other)?,
            self.put(&subject_marker, true).map_err(other)?,
            self.put(&audit, true).map_err(other)?,
        ];
        if token.role == Some(Role::CommissioningAdministrator) {
            items.push(self.administrator_count(&token.organisation_code, 1).map_err(other)?);
        }
        self.transact(items).await
    }
}
