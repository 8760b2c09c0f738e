//! The payment run queue's worker: takes a run on from where it is
//! (collecting or paying its claims) for most of a minute, and queues the rest
//! for itself. A step that fails (AWS refusing a call) is queued again a
//! little later, a few times, before the queue's own redelivery takes over. A
//! repeated message does no harm: every step is done once.

use aws_lambda_events::sqs::SqsMessage;
use shared::workflow::payment_runs::{advance, continue_later, Continuation};
use shared::{App, AppError};
use std::time::{Duration, Instant};

shared::serve_queue!(step, Continuation);

/// Within the function's 60 seconds, with room to queue what is left.
const WORKING: Duration = Duration::from_secs(45);

async fn step(app: &App, record: SqsMessage) -> Result<(), AppError> {
    let began = Instant::now();
    let body = record.body.as_deref().unwrap_or_default();
    let next: Continuation =
        serde_json::from_str(body).map_err(|e| AppError::Malformed(format!("unreadable run step: {e}")))?;
    match Box::pin(advance(app, &next.run_id, &next.actor, began + WORKING)).await {
        Ok(run) if run.status.in_progress() => {
            Box::pin(continue_later(app, &Continuation::of(&run, &next.actor))).await
        }
        Ok(_) => Ok(()),
        Err(error) if next.failures < Continuation::GIVE_UP_AFTER => {
            tracing::warn!(run_id = next.run_id, error = %error, "payment run step failed; queued again");
            Box::pin(continue_later(app, &next.after_failure())).await
        }
        Err(error) => Err(error),
    }
}
