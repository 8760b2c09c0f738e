//! Workflow functions enqueue rendered mail; only the mailer talks to SES.

use super::message::MailMessage;
use crate::error::{dependency, AppError};
use aws_sdk_sqs::Client;

pub struct MailQueue {
    client: Client,
    url: String,
}

impl MailQueue {
    pub fn new(client: Client, url: String) -> Self {
        Self { client, url }
    }

    pub async fn enqueue(&self, message: &MailMessage) -> Result<(), AppError> {
        let body = serde_json::to_string(message).map_err(|e| AppError::Internal(format!("encoding mail: {e}")))?;
        self.client
            .send_message()
            .queue_url(&self.url)
            .message_body(body)
            .send()
            .await
            .map_err(dependency("queueing the email"))?;
        tracing::info!(mail_id = %message.id, kind = %message.kind, "email queued");
        Ok(())
    }

    /// Queues many emails ten to a call (SQS's batch), the calls at once; as
    /// `notify`, a failure is logged and reported, never undone.
    pub async fn notify_all(&self, mails: &[MailMessage]) -> &'static str {
        let batches = mails.chunks(10).map(|batch| self.enqueue_batch(batch));
        let outcomes = futures::future::join_all(batches).await;
        if outcomes.iter().all(|sent| *sent) {
            "queued"
        } else {
            "failed"
        }
    }

    async fn enqueue_batch(&self, batch: &[MailMessage]) -> bool {
        let mut entries = Vec::with_capacity(batch.len());
        for (i, message) in batch.iter().enumerate() {
            let entry = serde_json::to_string(message).map_err(|e| e.to_string()).and_then(|body| {
                aws_sdk_sqs::types::SendMessageBatchRequestEntry::builder()
                    .id(i.to_string())
                    .message_body(body)
                    .build()
                    .map_err(|e| e.to_string())
            });
            match entry {
                Ok(entry) => entries.push(entry),
                Err(error) => tracing::error!(mail_id = %message.id, error = %error, "email not queued"),
            }
        }
        let all_built = entries.len() == batch.len();
        let sent = self.client.send_message_batch().queue_url(&self.url).set_entries(Some(entries)).send().await;
        match sent {
            Ok(output) => {
                for failed in output.failed() {
                    let id = failed.id().parse::<usize>().ok().and_then(|i| batch.get(i)).map(|m| m.id.as_str());
                    tracing::error!(mail_id = id.unwrap_or_default(), code = failed.code(), "email not queued");
                }
                for done in output.successful() {
                    if let Some(message) = done.id().parse::<usize>().ok().and_then(|i| batch.get(i)) {
                        tracing::info!(mail_id = %message.id, kind = %message.kind, "email queued");
                    }
                }
                all_built && output.failed().is_empty()
            }
            Err(error) => {
                let error = dependency("queueing emails")(error);
                tracing::error!(emails = batch.len(), error = %error, "emails not queued");
                false
            }
        }
    }

    /// Queues the email that tells someone about a change already committed. A
    /// failure is logged and reported ("failed"), never undone.
    pub async fn notify(&self, mail: &MailMessage) -> &'static str {
        match self.enqueue(mail).await {
            Ok(()) => "queued",
            Err(error) => {
                tracing::error!(mail_id = %mail.id, kind = %mail.kind, error = %error, "email not queued");
                "failed"
            }
        }
    }
}
