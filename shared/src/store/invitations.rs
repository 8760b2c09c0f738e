//! Invitations: created (with the link's hash), resent (a new link; the old one
//! stops working), cancelled, and accepted by a new or an existing person.

use super::audit::AuditEntry;
use super::records::{
    AccountRecord, InvitationRecord, InvitationTokenRecord, MarkerRecord, MembershipRecord, NewPerson,
};
use super::requests::Keyed;
use super::{keys, n, s, status_value, IndexList, Page, Store, TransactFailure};
use crate::domain::account::MembershipStatus;
use crate::domain::audit_action::AuditAction;
use crate::domain::completion_token::IssuedToken;
use crate::domain::invitation::InvitationStatus;
use crate::domain::ods::OdsCode;
use crate::domain::organisation::Organisation;
use crate::domain::person::PersonNames;
use crate::domain::role::Role;
use crate::domain::timestamp::Timestamp;
use crate::error::AppError;
use crate::error::ConflictKind;
use aws_sdk_dynamodb::types::{Delete, Put, TransactWriteItem, Update};
use serde_json::json;

/// The one pending invitation of a person to an organisation.
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct PendingInvitationMarker {
    #[serde(rename = "PK")]
    pk: String,
    #[serde(rename = "SK")]
    sk: String,
    invitation_id: String,
    expires_at: Timestamp,
    ttl: i64,
}

/// An invitation about to be sent: to whom, where, as what, by whom.
pub struct NewInvitation<'a> {
    pub person: PersonNames<'a>,
    pub organisation: &'a Organisation,
    pub role: Role,
    pub invited_by: &'a str,
    /// The account of someone who already has one.
    pub existing_user_id: Option<&'a str>,
}

impl Store {
    pub async fn invitation(&self, id: &str) -> Result<Option<InvitationRecord>, AppError> {
        self.get(keys::invitation(id), keys::INVITATION).await
    }

    /// Writes a pending invitation and its link; returns the invitation.
    pub async fn create_invitation(
        &self, new: &NewInvitation<'_>, issued: &IssuedToken, keyed: Option<&Keyed<'_>>, now: Timestamp,
    ) -> Result<InvitationRecord, AppError> {
        let id = uuid::Uuid::now_v7().to_string();
        let invitation = &InvitationRecord {
            pk: keys::invitation(&id),
            sk: keys::INVITATION.into(),
            id: id.clone(),
            email: new.person.email.to_string(),
            first_name: new.person.first_name.to_string(),
            last_name: new.person.last_name.to_string(),
            organisation_code: new.organisation.code.clone(),
            organisation_name: new.organisation.name.clone(),
            role: new.role,
            status: InvitationStatus::Pending,
            invited_by: new.invited_by.to_string(),
            existing_user_id: new.existing_user_id.map(str::to_string),
            created_at: now,
            expires_at: issued.expires_at.into(),
            token_hash: issued.hash.clone(),
            version: 1,
            gsi1pk: Some(keys::pending_invitations(&new.organisation.code)),
            gsi1sk: Some(format!("{now}#{id}")),
        };
        let token = &InvitationTokenRecord::issued(invitation, issued);
        let audit = AuditEntry {
            actor: &invitation.invited_by,
            action: AuditAction::InvitationSent,
            target: keys::invitation(&invitation.id),
            organisation: &invitation.organisation_code,
            before: None,
            after: Some(json!({"role": invitation.role, "status": "pending"})),
        }
        .record(now);
        let mut items = vec![
            self.put(invitation, true)?,
            self.put(token, true)?,
            self.pending_marker(invitation, invitation.expires_at, now)?,
            self.put(&audit, true)?,
        ];
        items.extend(self.keyed_marker(keyed, &invitation.id, now)?);
        match self.transact(items).await {
            Ok(()) => Ok(invitation.clone()),
            Err(TransactFailure::ConditionFailed(failed)) if failed.contains(&2) => Err(AppError::conflict(
                ConflictKind::InvitationPending,
                format!(
                    "{} already has an invitation to {} waiting to be accepted. Resend that one from the list of \
                     invitations, or cancel it first",
                    invitation.email, invitation.organisation_name
                ),
            )),
            Err(failure) => {
                Err(failure.into_conflict(ConflictKind::DuplicateInvitation, "This invitation already exists"))
            }
        }
    }

    /// The marker that keeps one pending invitation per person and
    /// organisation (two clicks on Send make one). It may be taken over only
    /// when its invitation has expired; resending (the same invitation) keeps
    /// it, with the new expiry.
    fn pending_marker(
        &self, invitation: &InvitationRecord, expires_at: Timestamp, now: Timestamp,
    ) -> Result<TransactWriteItem, AppError> {
        let marker = PendingInvitationMarker {
            pk: keys::pending_invitation_of(&invitation.organisation_code, &invitation.email),
            sk: keys::INVITATION.into(),
            invitation_id: invitation.id.clone(),
            expires_at,
            // Gone a day after the invitation would expire, if nothing removed it.
            ttl: expires_at.as_second() + 24 * 3600,
        };
        let put = Put::builder()
            .table_name(self.table())
            .set_item(Some(Self::to_item(&marker)?))
            .condition_expression("attribute_not_exists(PK) OR expiresAt < :now OR invitationId = :id")
            .expression_attribute_values(":now", s(keys::instant(now)))
            .expression_attribute_values(":id", s(&invitation.id))
            .build()
            .map_err(|e| AppError::Internal(format!("building put: {e}")))?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    /// Frees the person and organisation for a new invitation once this one is
    /// cancelled or accepted (invitations from before markers have none).
    fn release_marker(&self, invitation: &InvitationRecord) -> Result<TransactWriteItem, AppError> {
        let delete = Delete::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(
                keys::pending_invitation_of(&invitation.organisation_code, &invitation.email),
                keys::INVITATION,
            )))
            .condition_expression("attribute_not_exists(PK) OR invitationId = :id")
            .expression_attribute_values(":id", s(&invitation.id))
            .build()
            .map_err(|e| AppError::Internal(format!("building delete: {e}")))?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }

    /// One page of an organisation's pending invitations, oldest first.
    pub async fn pending_invitations(
        &self, organisation: &OdsCode, limit: i32, cursor_text: Option<&str>,
    ) -> Result<Page<InvitationRecord>, AppError> {
        let partition = keys::pending_invitations(organisation);
        let list = IndexList {
            listing: "invitations",
            index: keys::GSI1,
            sort_key: keys::GSI1SK,
            partition: &partition,
            prefix: None,
            ascending: true,
        };
        self.index_page(&list, limit, cursor_text).await
    }

    /// Moves a pending invitation on, checking nobody else did first.
    fn invitation_update(
        &self, invitation: &InvitationRecord, set: &str, remove_from_lists: bool,
    ) -> aws_sdk_dynamodb::types::builders::UpdateBuilder {
        let remove = if remove_from_lists { " REMOVE GSI1PK, GSI1SK" } else { "" };
        Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(invitation.pk.clone(), invitation.sk.clone())))
            .update_expression(format!("SET {set}, version = version + :one{remove}"))
            .condition_expression("#status = :pending AND version = :version")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":pending", s(status_value(InvitationStatus::Pending)))
            .expression_attribute_values(":version", n(invitation.version))
            .expression_attribute_values(":one", n(1))
    }

    fn delete_token(&self, hash: &str) -> Result<TransactWriteItem, AppError> {
        let delete = Delete::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(keys::token(hash), keys::TOKEN)))
            .build()
            .map_err(|e| AppError::Internal(format!("building delete: {e}")))?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }

    const INVITATION_MOVED_ON: &'static str =
        "This invitation was changed by someone else at the same moment. Refresh the page to see it now";

    pub async fn cancel_invitation(
        &self, invitation: &InvitationRecord, actor: &str, now: Timestamp,
    ) -> Result<(), AppError> {
        let at = keys::instant(now);
        let items = vec![
            Self::built(
                self.invitation_update(invitation, "#status = :cancelled, updatedAt = :at", true)
                    .expression_attribute_values(":cancelled", s(status_value(InvitationStatus::Cancelled)))
                    .expression_attribute_values(":at", s(&at)),
            )?,
            self.put(
                &AuditEntry {
                    actor,
                    action: AuditAction::InvitationCancelled,
                    target: keys::invitation(&invitation.id),
                    organisation: &invitation.organisation_code,
                    before: Some(json!({"status": "pending"})),
                    after: Some(json!({"status": "cancelled"})),
                }
                .record(now),
                true,
            )?,
        ];
        // The link is kept, so whoever opens it is told it was cancelled. An
        // expired invitation's marker may already be another invitation's.
        let mut items = items;
        if invitation.expires_at > now {
            items.push(self.release_marker(invitation)?);
        }
        self.transact(items)
            .await
            .map_err(|f| f.into_conflict(ConflictKind::InvitationChanged, Self::INVITATION_MOVED_ON))
    }

    /// Replaces the link: the old token is deleted in the same transaction.
    pub async fn resend_invitation(
        &self, invitation: &InvitationRecord, issued: &IssuedToken, actor: &str, now: Timestamp,
    ) -> Result<(), AppError> {
        let token = &InvitationTokenRecord::issued(invitation, issued);
        let at = keys::instant(now);
        let new_hash = token.pk.trim_start_matches(&keys::token("")).to_string();
        let items = vec![
            Self::built(
                self.invitation_update(invitation, "tokenHash = :hash, expiresAt = :expires, updatedAt = :at", false)
                    .expression_attribute_values(":hash", s(new_hash))
                    .expression_attribute_values(":expires", s(token.expires_at.to_string()))
                    .expression_attribute_values(":at", s(&at)),
            )?,
            self.delete_token(&invitation.token_hash)?,
            self.put(token, true)?,
            self.pending_marker(invitation, token.expires_at, now)?,
            self.put(
                &AuditEntry {
                    actor,
                    action: AuditAction::InvitationResent,
                    target: keys::invitation(&invitation.id),
                    organisation: &invitation.organisation_code,
                    before: Some(json!({"expiresAt": invitation.expires_at})),
                    after: Some(json!({"expiresAt": token.expires_at})),
                }
                .record(now),
                true,
            )?,
        ];
        self.transact(items)
            .await
            .map_err(|f| f.into_conflict(ConflictKind::InvitationChanged, Self::INVITATION_MOVED_ON))
    }

    /// The token use and the invitation's acceptance, first in every acceptance.
    fn acceptance_steps(&self, invitation: &InvitationRecord, at: &str) -> Result<Vec<TransactWriteItem>, AppError> {
        let use_token = Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(keys::token(&invitation.token_hash), keys::TOKEN)))
            .update_expression("SET usedAt = :at")
            .condition_expression("attribute_not_exists(usedAt) AND expiresAt > :at")
            .expression_attribute_values(":at", s(at));
        Ok(vec![
            Self::built(use_token)?,
            Self::built(
                self.invitation_update(invitation, "#status = :accepted, updatedAt = :at", true)
                    .expression_attribute_values(":accepted", s(status_value(InvitationStatus::Accepted)))
                    .expression_attribute_values(":at", s(at)),
            )?,
            self.release_marker(invitation)?,
        ])
    }

    /// A new person: their account, sign-in mapping, email marker and
    /// membership. Returns their user id.
    pub async fn accept_invitation_as_new_person(
        &self, invitation: &InvitationRecord, subject: &str, organisation: &Organisation, now: Timestamp,
    ) -> Result<String, TransactFailure> {
        let person = NewPerson { names: invitation.names(), subject };
        let account = AccountRecord::active(&person, now);
        let membership = MembershipRecord::new(&account, organisation, invitation.role, MembershipStatus::Active, now);
        let other = TransactFailure::Other;
        let mut items = self.acceptance_steps(invitation, &keys::instant(now)).map_err(other)?;
        items.push(self.put(&MarkerRecord::email(&account), true).map_err(other)?);
        items.push(self.put(&MarkerRecord::subject(subject, &account.user_id), true).map_err(other)?);
        items.push(self.put(&account, true).map_err(other)?);
        items.push(self.put(&membership, true).map_err(other)?);
        self.finish_acceptance(items, invitation, &account.user_id, now).await?;
        Ok(account.user_id)
    }

    /// An existing person: a new membership (or one replacing a rejected request).
    pub async fn accept_invitation_as_member(
        &self, invitation: &InvitationRecord, account: &AccountRecord, organisation: &Organisation, now: Timestamp,
    ) -> Result<(), TransactFailure> {
        let membership = &MembershipRecord::new(account, organisation, invitation.role, MembershipStatus::Active, now);
        let at = keys::instant(now);
        let other = TransactFailure::Other;
        let mut items = self.acceptance_steps(invitation, &at).map_err(other)?;
        let put = Put::builder()
            .table_name(self.table())
            .set_item(Some(Self::to_item(membership).map_err(other)?))
            .condition_expression("attribute_not_exists(PK) OR #status = :rejected")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":rejected", s(status_value(MembershipStatus::Rejected)))
            .build()
            .map_err(|e| TransactFailure::Other(AppError::Internal(format!("building put: {e}"))))?;
        items.push(TransactWriteItem::builder().put(put).build());
        self.finish_acceptance(items, invitation, &membership.user_id, now).await
    }

    async fn finish_acceptance(
        &self, mut items: Vec<TransactWriteItem>, invitation: &InvitationRecord, user_id: &str, now: Timestamp,
    ) -> Result<(), TransactFailure> {
        let other = TransactFailure::Other;
        if invitation.role == Role::CommissioningAdministrator {
            items.push(self.administrator_count(&invitation.organisation_code, 1).map_err(other)?);
        }
        items.push(
            self.put(
                &AuditEntry {
                    actor: user_id,
                    action: AuditAction::InvitationAccepted,
                    target: keys::invitation(&invitation.id),
                    organisation: &invitation.organisation_code,
                    before: Some(json!({"status": "pending"})),
                    after: Some(json!({"status": "accepted", "role": invitation.role, "user": user_id})),
                }
                .record(now),
                true,
            )
            .map_err(other)?,
        );
        self.transact(items).await
    }
}

impl Store {
    pub async fn invitation_token(&self, hash: &str) -> Result<Option<InvitationTokenRecord>, AppError> {
        let token: Option<InvitationTokenRecord> =
            self.get(keys::token(hash), keys::TOKEN).await.or(Ok::<_, AppError>(None))?;
        Ok(token.filter(|t| t.purpose == "invitation"))
    }
}
