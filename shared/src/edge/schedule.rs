//! The entry point of a scheduled function: EventBridge Scheduler invokes it
//! with `{"scheduledTime": …}` (template.yaml's `Input`), and the step works
//! from that time, so a retried or repeated run for the same time does the same.

use crate::app::App;
use crate::domain::timestamp::Timestamp;
use crate::error::AppError;
use lambda_http::lambda_runtime::{self, service_fn, LambdaEvent};
use serde_json::Value;
use std::future::Future;

/// The instant a run is for: the schedule's own time when it passes one
/// (`scheduledTime`, or an EventBridge event's `time`), else now.
pub fn scheduled_time(event: &Value) -> Timestamp {
    ["scheduledTime", "time"]
        .iter()
        .find_map(|field| event.get(*field).and_then(|v| v.as_str()).and_then(|raw| raw.parse().ok()))
        .unwrap_or_else(Timestamp::now)
}

/// The whole `main` of a scheduled function: logs, settings and clients built
/// once, then `step` for every invocation; a failure is returned to the
/// scheduler, which retries it (and then sends it to the dead-letter queue).
pub async fn run<S, Fut, R>(step: S) -> Result<(), lambda_runtime::Error>
where
    S: Fn(&'static App, Timestamp) -> Fut,
    Fut: Future<Output = Result<R, AppError>>,
    R: serde::Serialize,
{
    let app = super::start().await?;
    let step = &step;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        let at = scheduled_time(&event.payload);
        step(app, at).await.map_err(|error| {
            tracing::error!(at = %at, error = %error, "scheduled run failed");
            lambda_runtime::Error::from(error.to_string())
        })
    }))
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_run_is_for_the_scheduled_time() {
        let at = scheduled_time(&json!({"scheduledTime": "2026-10-25T23:00:00Z"}));
        assert_eq!(at.to_string(), "2026-10-25T23:00:00.000000Z");
        let event = scheduled_time(&json!({"time": "2026-07-01T08:00:00Z", "detail": {}}));
        assert_eq!(event.to_string(), "2026-07-01T08:00:00.000000Z");
        let before = Timestamp::now();
        assert!(scheduled_time(&json!({"scheduledTime": "soon"})) >= before);
    }
}
