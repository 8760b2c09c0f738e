//! Records which queued emails were sent, so a redelivered message sends once.

use super::{keys, n, s, Store};
use crate::domain::timestamp::Timestamp;
use crate::error::{dependency, persistently, AppError};
use aws_sdk_dynamodb::error::SdkError;

/// How long one attempt may hold a message before another may try.
const LEASE_SECONDS: i64 = 120;
/// Ledger entries are housekeeping: DynamoDB may drop them after 30 days.
const KEEP_SECONDS: i64 = 30 * 24 * 3600;

#[derive(Debug, PartialEq, Eq)]
pub enum MailClaim {
    /// This attempt may send.
    Claimed,
    /// Already sent: acknowledge without sending.
    AlreadySent,
    /// Another attempt is sending right now: retry later.
    InProgress,
}

impl Store {
    pub async fn claim_mail(&self, message_id: &str, now: Timestamp) -> Result<MailClaim, AppError> {
        let now_secs = now.as_second();
        let result = self
            .client()
            .put_item()
            .table_name(self.table())
            .item(keys::PK, s(keys::mail(message_id)))
            .item(keys::SK, s(keys::MAIL))
            .item("state", s("sending"))
            .item("leaseUntil", n(now_secs + LEASE_SECONDS))
            .item("ttl", n(now_secs + KEEP_SECONDS))
            .condition_expression("attribute_not_exists(PK) OR (#state = :sending AND leaseUntil < :now)")
            .expression_attribute_names("#state", "state")
            .expression_attribute_values(":sending", s("sending"))
            .expression_attribute_values(":now", n(now_secs))
            .send()
            .await;
        match result {
            Ok(_) => Ok(MailClaim::Claimed),
            Err(SdkError::ServiceError(e)) if e.err().is_conditional_check_failed_exception() => {
                let existing = self
                    .client()
                    .get_item()
                    .table_name(self.table())
                    .set_key(Some(Self::key(keys::mail(message_id), keys::MAIL)))
                    .consistent_read(true)
                    .send()
                    .await
                    .map_err(dependency("reading the mail ledger"))?;
                let sent = existing
                    .item
                    .and_then(|item| item.get("state").and_then(|v| v.as_s().ok()).cloned())
                    .is_some_and(|state| state == "sent");
                Ok(if sent { MailClaim::AlreadySent } else { MailClaim::InProgress })
            }
            Err(other) => Err(dependency("claiming the message")(other)),
        }
    }

    /// Records the message sent. Tried harder than the SDK tries a call: a
    /// mark that never lands leaves the message leased, to be sent again once
    /// the lease ends.
    pub async fn mark_mail_sent(&self, message_id: &str, now: Timestamp) -> Result<(), AppError> {
        persistently(|| async {
            self.client()
                .update_item()
                .table_name(self.table())
                .set_key(Some(Self::key(keys::mail(message_id), keys::MAIL)))
                .update_expression("SET #state = :sent, sentAt = :at REMOVE leaseUntil")
                .expression_attribute_names("#state", "state")
                .expression_attribute_values(":sent", s("sent"))
                .expression_attribute_values(":at", s(keys::instant(now)))
                .send()
                .await
                .map(|_| ())
                .map_err(dependency("recording the sent message"))
        })
        .await
    }

    /// Gives the message back after a failed send, so the retry may claim it
    /// at once (tried harder than the SDK tries a call: a release that never
    /// lands holds every retry off until the lease ends).
    pub async fn release_mail(&self, message_id: &str) -> Result<(), AppError> {
        persistently(|| async {
            let result = self
                .client()
                .delete_item()
                .table_name(self.table())
                .set_key(Some(Self::key(keys::mail(message_id), keys::MAIL)))
                .condition_expression("#state = :sending")
                .expression_attribute_names("#state", "state")
                .expression_attribute_values(":sending", s("sending"))
                .send()
                .await;
            match result {
                Ok(_) => Ok(()),
                Err(SdkError::ServiceError(e)) if e.err().is_conditional_check_failed_exception() => Ok(()),
                Err(other) => Err(dependency("releasing the message")(other)),
            }
        })
        .await
    }
}
