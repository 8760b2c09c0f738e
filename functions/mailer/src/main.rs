//! Mail queue consumer: sends each queued email through SES v2, once. A failed
//! send is reported as a batch item failure, so SQS retries it and, after the
//! retry limit, moves it to the dead-letter queue.

use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use lambda_runtime::{service_fn, LambdaEvent};
use shared::mail::MailMessage;
use shared::store::mail_ledger::MailClaim;
use shared::{App, AppError};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    let app = &app;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        Ok::<_, lambda_runtime::Error>(send_batch(app, event.payload).await)
    }))
    .await
}

async fn send_batch(app: &App, event: SqsEvent) -> SqsBatchResponse {
    let mut response = SqsBatchResponse::default();
    for record in event.records {
        if let Err(error) = send_one(app, &record).await {
            tracing::warn!(sqs_message_id = ?record.message_id, error = %error, "email not sent; will retry");
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = record.message_id.clone().unwrap_or_default();
            response.batch_item_failures.push(failure);
        }
    }
    response
}

async fn send_one(app: &App, record: &SqsMessage) -> Result<(), AppError> {
    let body = record.body.as_deref().unwrap_or_default();
    let message: MailMessage =
        serde_json::from_str(body).map_err(|e| AppError::Malformed(format!("unreadable mail message: {e}")))?;
    let now = jiff::Timestamp::now();
    match app.store.claim_mail(&message.id, now).await? {
        MailClaim::AlreadySent => {
            tracing::info!(mail_id = %message.id, "already sent; acknowledged");
            Ok(())
        }
        MailClaim::InProgress => Err(AppError::Dependency("another attempt is sending this message".into())),
        MailClaim::Claimed => match app.mail_sender().send(&message).await {
            Ok(()) => {
                app.store.mark_mail_sent(&message.id, jiff::Timestamp::now()).await?;
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
