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
