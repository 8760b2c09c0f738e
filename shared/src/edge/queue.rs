//! The entry point of a queue consumer (SQS event source mapping with
//! `ReportBatchItemFailures`): each message is handled on its own; the ones that
//! fail are reported back, so SQS retries only those and, after the queue's
//! receive limit, moves them to its dead-letter queue.

use crate::app::App;
use crate::error::AppError;
use aws_lambda_events::sqs::{BatchItemFailure, SqsBatchResponse, SqsEvent, SqsMessage};
use lambda_http::lambda_runtime::{self, service_fn, LambdaEvent};
use std::future::Future;

/// The whole `main` of a queue consumer: logs, settings and clients built once,
/// then `step` for every message of every batch.
pub async fn run<S, Fut>(step: S) -> Result<(), lambda_runtime::Error>
where
    S: Fn(&'static App, SqsMessage) -> Fut,
    Fut: Future<Output = Result<(), AppError>>,
{
    let app = super::start().await?;
    let step = &step;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| async move {
        Ok::<_, lambda_runtime::Error>(handle_batch(app, event.payload, step).await)
    }))
    .await
}

async fn handle_batch<S, Fut>(app: &'static App, event: SqsEvent, step: &S) -> SqsBatchResponse
where
    S: Fn(&'static App, SqsMessage) -> Fut,
    Fut: Future<Output = Result<(), AppError>>,
{
    let mut response = SqsBatchResponse::default();
    let started = std::time::Instant::now();
    super::aws_calls::begin_request();
    let messages = event.records.len();
    for record in event.records {
        let message_id = record.message_id.clone().unwrap_or_default();
        if let Err(error) = step(app, record).await {
            tracing::warn!(sqs_message_id = %message_id, error = %error, "message not handled; will retry");
            let mut failure = BatchItemFailure::default();
            failure.item_identifier = message_id;
            response.batch_item_failures.push(failure);
        }
    }
    let cost = super::aws_calls::summary();
    // What the batch cost, as a request's completion line says it (docs/COST.md reads both).
    tracing::info!(
        function = %std::env::var("AWS_LAMBDA_FUNCTION_NAME").unwrap_or_default(),
        messages,
        failed = response.batch_item_failures.len(),
        aws_calls = cost.calls,
        dynamodb_calls = cost.dynamodb_calls,
        scans = cost.scans,
        aws_ms = cost.waited.as_millis() as u64,
        duration_ms = started.elapsed().as_millis() as u64,
        "batch completed"
    );
    response
}
