//! Sends one rendered message through SES v2.

use super::message::MailMessage;
use crate::error::{dependency, AppError};
use aws_sdk_sesv2::types::{Body, Content, Destination, EmailContent, Message};
use aws_sdk_sesv2::Client;

pub struct MailSender {
    client: Client,
    from: String,
    configuration_set: Option<String>,
}

impl MailSender {
    pub fn new(client: Client, from: String, configuration_set: Option<String>) -> Self {
        Self { client, from, configuration_set }
    }

    pub async fn send(&self, message: &MailMessage) -> Result<(), AppError> {
        let content = |text: &str| {
            Content::builder()
                .data(text)
                .charset("UTF-8")
                .build()
                .map_err(|e| AppError::Internal(format!("building email: {e}")))
        };
        let email = EmailContent::builder()
            .simple(
                Message::builder()
                    .subject(content(&message.subject)?)
                    .body(Body::builder().text(content(&message.text)?).html(content(&message.html)?).build())
                    .build(),
            )
            .build();
        self.client
            .send_email()
            .from_email_address(&self.from)
            .set_configuration_set_name(self.configuration_set.clone())
            .destination(Destination::builder().to_addresses(&message.to).build())
            .content(email)
            .send()
            .await
            .map_err(dependency("sending the email"))?;
        Ok(())
    }
}
