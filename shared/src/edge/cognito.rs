//! The entry point of a Cognito user-pool trigger: the pool waits for the
//! answer and refuses the sign-in if the trigger fails, so the step's own
//! failure is logged and the event handed back unchanged — a sign-in is
//! never lost to a bookkeeping error.

use crate::app::App;
use crate::domain::timestamp::Timestamp;
use crate::error::AppError;
use lambda_http::lambda_runtime::{self, service_fn, LambdaEvent};
use serde_json::Value;
use std::future::Future;

/// What a trigger is told about the person: their pool subject (`sub`).
pub fn subject(event: &Value) -> Option<&str> {
    event.pointer("/request/userAttributes/sub").and_then(Value::as_str).filter(|s| !s.is_empty())
}

/// The whole `main` of a trigger: `step` with the person's subject and now.
pub async fn run<S, Fut>(step: S) -> Result<(), lambda_runtime::Error>
where
    S: Fn(&'static App, String, Timestamp) -> Fut,
    Fut: Future<Output = Result<(), AppError>>,
{
    let app = super::start().await?;
    let step = &step;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        let trigger = event.payload.get("triggerSource").and_then(Value::as_str).unwrap_or_default().to_string();
        match subject(&event.payload) {
            Some(sub) => {
                super::aws_calls::begin_request();
                let outcome = step(app, sub.to_string(), Timestamp::now()).await;
                let cost = super::aws_calls::summary();
                match outcome {
                    Ok(()) => tracing::info!(
                        trigger,
                        aws_calls = cost.calls,
                        aws_ms = cost.waited.as_millis() as u64,
                        "trigger completed"
                    ),
                    Err(error) => tracing::error!(trigger, error = %error, "trigger step failed; sign-in goes ahead"),
                }
            }
            None => tracing::warn!(trigger, "trigger event without a subject"),
        }
        Ok::<Value, lambda_runtime::Error>(event.payload)
    }))
    .await
}
