//! Access requests: an existing user asks for a role in another organisation;
//! the organisation's reviewer approves or rejects it from the Users section.

use super::audit::AuditEntry;
use super::records::{AccessRequestRecord, AccountRecord, MembershipRecord};
use super::requests::Keyed;
use super::{keys, s, Store, TransactFailure};
use crate::domain::access_request::AccessRequestStatus;
use crate::domain::account::MembershipStatus;
use crate::domain::audit_action::AuditAction;
use crate::domain::organisation::{Organisation, ReviewQueue};
use crate::domain::registration::Decision;
use crate::domain::role::Role;
use crate::domain::timestamp::Timestamp;
use crate::error::AppError;
use crate::error::ConflictKind;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use serde_json::json;

impl Store {
    /// Writes the request and a pending membership (replacing a rejected one).
    pub async fn create_access_request(
        &self, account: &AccountRecord, organisation: &Organisation, role: Role, queue: &ReviewQueue,
        keyed: Option<&Keyed<'_>>, now: Timestamp,
    ) -> Result<AccessRequestRecord, AppError> {
        let id = uuid::Uuid::now_v7().to_string();
        let request = AccessRequestRecord {
            pk: keys::access_request(&id),
            sk: keys::ACCESS_REQUEST.into(),
            id: id.clone(),
            user_id: account.user_id.clone(),
            email: account.email.clone(),
            first_name: account.first_name.clone(),
            last_name: account.last_name.clone(),
            organisation_code: organisation.code.clone(),
            organisation_name: organisation.name.clone(),
            role,
            status: AccessRequestStatus::Pending,
            review_queue: queue.key(),
            submitted_at: now,
            decided_at: None,
            decided_by: None,
            decision_reason: None,
        };
        let mut membership = MembershipRecord::new(account, organisation, role, MembershipStatus::Pending, now);
        membership.access_request_id = Some(id.clone());
        let membership_put = Put::builder()
            .table_name(self.table())
            .set_item(Some(Self::to_item(&membership)?))
            .condition_expression("attribute_not_exists(PK) OR #status = :rejected")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":rejected", s(super::status_value(MembershipStatus::Rejected)))
            .build()
            .map_err(|e| AppError::Internal(format!("building put: {e}")))?;
        let audit = AuditEntry {
            actor: &account.user_id,
            action: AuditAction::AccessRequested,
            target: keys::access_request(&id),
            organisation: &organisation.code,
            before: None,
            after: Some(json!({"role": role, "status": "pending"})),
        }
        .record(now);
        let mut items = vec![
            TransactWriteItem::builder().put(membership_put).build(),
            self.put(&request, true)?,
            self.put(&audit, true)?,
        ];
        items.extend(self.keyed_marker(keyed, &id, now)?);
        self.transact(items).await.map_err(|failure| {
            failure.into_conflict(
                ConflictKind::AlreadyAMember,
                format!(
                    "You already have access to {} or a request waiting for review. Check My Profile",
                    organisation.name
                )
                .as_str(),
            )
        })?;
        Ok(request)
    }

    pub async fn access_request(&self, id: &str) -> Result<Option<AccessRequestRecord>, AppError> {
        self.get(keys::access_request(id), keys::ACCESS_REQUEST).await
    }

    /// Decides a pending request and moves the membership with it.
    pub async fn decide_access_request(
        &self, request: &AccessRequestRecord, decision: &Decision, reviewer: &str, now: Timestamp,
    ) -> Result<(), AppError> {
        let at = keys::instant(now);
        let (to, membership_to, reason) = match decision {
            Decision::Approve => (AccessRequestStatus::Approved, MembershipStatus::Active, None),
            Decision::Reject { reason } => {
                (AccessRequestStatus::Rejected, MembershipStatus::Rejected, Some(reason.as_str()))
            }
        };
        let mut also = vec![("decidedAt", s(&at)), ("decidedBy", s(reviewer))];
        if let Some(reason) = reason {
            also.push(("decisionReason", s(reason)));
        }
        let mut items = vec![
            self.status_change(
                Self::key(request.pk.clone(), request.sk.clone()),
                AccessRequestStatus::Pending,
                to,
                &at,
                &also,
            )?,
            self.status_change(
                Self::key(keys::user(&request.user_id), keys::membership(&request.organisation_code)),
                MembershipStatus::Pending,
                membership_to,
                &at,
                &[],
            )?,
        ];
        if membership_to == MembershipStatus::Active && request.role == Role::CommissioningAdministrator {
            items.push(self.administrator_count(&request.organisation_code, 1)?);
        }
        items.push(
            self.put(
                &AuditEntry {
                    actor: reviewer,
                    action: if to == AccessRequestStatus::Approved {
                        AuditAction::AccessApproved
                    } else {
                        AuditAction::AccessRejected
                    },
                    target: keys::access_request(&request.id),
                    organisation: &request.organisation_code,
                    before: Some(json!({"status": "pending"})),
                    after: Some(json!({"status": to, "reason": reason})),
                }
                .record(now)
                .about(&request.user_id),
                true,
            )?,
        );
        self.transact(items).await.map_err(|failure: TransactFailure| {
            failure.into_conflict(
                ConflictKind::AlreadyReviewed,
                "This request has just been reviewed by someone else. Refresh the page to see its decision",
            )
        })
    }
}
