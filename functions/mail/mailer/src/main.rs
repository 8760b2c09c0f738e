//! Mail queue consumer: sends each queued email through SES v2, once. A failed
//! send is reported as a batch item failure, so SQS retries it and, after the
//! retry limit, moves it to the dead-letter queue.

use aws_lambda_events::sqs::SqsMessage;
use shared::mail::MailMessage;
use shared::store::mail_ledger::MailClaim;
use shared::{App, AppError};

shared::serve_queue!(send_one, MailMessage);

async fn send_one(app: &App, record: SqsMessage) -> Result<(), AppError> {
    let body = record.body.as_deref().unwrap_or_default();
    let message: MailMessage =
        serde_json::from_str(body).map_err(|e| AppError::Malformed(format!("unreadable mail message: {e}")))?;
    let now = shared::Timestamp::now();
    match app.store.claim_mail(&message.id, now).await? {
        MailClaim::AlreadySent => {
            tracing::info!(mail_id = %message.id, "already sent; acknowledged");
            Ok(())
        }
        MailClaim::InProgress => Err(AppError::Dependency("another attempt is sending this message".into())),
        MailClaim::Claimed => match app.mail_sender().send(&message).await {
            Ok(()) => {
                app.store.mark_mail_sent(&message.id, shared::Timestamp::now()).await?;
                tracing::info!(mail_id = %message.id, kind = %message.kind, "email sent");
                Ok(())
            }
            Err(error) => {
                app.store.release_mail(&message.id).await?;
                Err(error)
            }
        },
    }
}
