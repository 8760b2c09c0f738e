//! Counts the AWS calls a request makes and how many of them were made one
//! after another (sequential round trips), through an SDK interceptor, so
//! every request's completion line says what it cost. A Lambda process serves
//! one request at a time, so one process-wide record per request is enough.

use aws_sdk_dynamodb::config::interceptors::{
    BeforeSerializationInterceptorContextRef, FinalizerInterceptorContextRef,
};
use aws_sdk_dynamodb::config::{ConfigBag, Intercept, RuntimeComponents};
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_types::config_bag::{Storable, StoreReplace};
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
struct Call {
    operation: String,
    started: Instant,
    finished: Instant,
    /// Answered with an error (a condition that no longer held, contention):
    /// the request may have tried again, so it is not the route's usual cost.
    failed: bool,
}

static CALLS: Mutex<Vec<Call>> = Mutex::new(Vec::new());
/// Whether this request looked up its caller's user id (a process's first
/// request for that person; cached after), so budgets can tell cold from warm.
static CALLER_LOOKUP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub fn note_caller_lookup() {
    CALLER_LOOKUP.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Whether this request read the organisation it is about only after the
/// caller's account (nothing remembered of the caller to guess it from, or
/// the guess was wrong): warm and cold told apart as for the lookup above.
static ORGANISATION_READ_AFTER: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub fn note_organisation_read_after() {
    ORGANISATION_READ_AFTER.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Whether this request found its `Idempotency-Key` used before: a retry,
/// answered from what the first request did, not the route's usual cost.
static KEYED_REPEAT: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub fn note_keyed_repeat() {
    KEYED_REPEAT.store(true, std::sync::atomic::Ordering::Relaxed);
}

#[derive(Debug, Clone)]
struct Started(Instant);

impl Storable for Started {
    type Storer = StoreReplace<Self>;
}

/// Attached to each SDK client the functions use.
#[derive(Debug)]
pub struct CountCalls;

impl Intercept for CountCalls {
    fn name(&self) -> &'static str {
        "CountCalls"
    }

    fn read_before_execution(
        &self, _context: &BeforeSerializationInterceptorContextRef<'_>, cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        cfg.interceptor_state().store_put(Started(Instant::now()));
        Ok(())
    }

    fn read_after_execution(
        &self, context: &FinalizerInterceptorContextRef<'_>, _components: &RuntimeComponents, cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        // The operation's name is known only once its own configuration is applied.
        let operation = cfg.load::<Metadata>().map(|m| format!("{}.{}", m.service(), m.name())).unwrap_or_default();
        if let Some(Started(at)) = cfg.load::<Started>() {
            let failed = !matches!(context.output_or_error(), Some(Ok(_)));
            let call = Call { operation, started: *at, finished: Instant::now(), failed };
            if let Ok(mut calls) = CALLS.lock() {
                calls.push(call);
            }
        }
        Ok(())
    }
}

/// What one request's AWS calls cost.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct CallSummary {
    pub calls: usize,
    /// Calls made one after another: a call that started before every earlier
    /// call had finished ran alongside them.
    pub rounds: usize,
    pub dynamodb_calls: usize,
    pub dynamodb_rounds: usize,
    pub scans: usize,
    pub waited: Duration,
    /// The caller's user id was looked up (not yet cached in this process).
    pub caller_lookup: bool,
    /// The organisation the request is about was read after the caller's account.
    pub organisation_read_after: bool,
    /// Calls answered with an error (a request that tried again, say).
    pub failed_calls: usize,
    /// The request's `Idempotency-Key` was used before (a retry).
    pub keyed_repeat: bool,
}

/// Forgets the calls of the request before.
pub fn begin_request() {
    if let Ok(mut calls) = CALLS.lock() {
        calls.clear();
    }
    CALLER_LOOKUP.store(false, std::sync::atomic::Ordering::Relaxed);
    ORGANISATION_READ_AFTER.store(false, std::sync::atomic::Ordering::Relaxed);
    KEYED_REPEAT.store(false, std::sync::atomic::Ordering::Relaxed);
}

pub fn summary() -> CallSummary {
    let calls = CALLS.lock().map(|c| c.clone()).unwrap_or_default();
    let dynamodb: Vec<Call> = calls.iter().filter(|c| c.operation.starts_with("DynamoDB.")).cloned().collect();
    CallSummary {
        calls: calls.len(),
        rounds: rounds(&calls),
        dynamodb_calls: dynamodb.len(),
        dynamodb_rounds: rounds(&dynamodb),
        scans: dynamodb.iter().filter(|c| c.operation == "DynamoDB.Scan").count(),
        waited: span(&calls),
        caller_lookup: CALLER_LOOKUP.load(std::sync::atomic::Ordering::Relaxed),
        organisation_read_after: ORGANISATION_READ_AFTER.load(std::sync::atomic::Ordering::Relaxed),
        failed_calls: calls.iter().filter(|c| c.failed).count(),
        keyed_repeat: KEYED_REPEAT.load(std::sync::atomic::Ordering::Relaxed),
    }
}

fn rounds(calls: &[Call]) -> usize {
    let mut sorted: Vec<&Call> = calls.iter().collect();
    sorted.sort_by_key(|c| c.started);
    let mut count = 0;
    let mut finished: Option<Instant> = None;
    for call in sorted {
        if finished.is_none_or(|f| call.started >= f) {
            count += 1;
        }
        finished = Some(finished.map_or(call.finished, |f| f.max(call.finished)));
    }
    count
}

fn span(calls: &[Call]) -> Duration {
    let first = calls.iter().map(|c| c.started).min();
    let last = calls.iter().map(|c| c.finished).max();
    match (first, last) {
        (Some(a), Some(b)) => b.duration_since(a),
        _ => Duration::ZERO,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(start_ms: u64, end_ms: u64, base: Instant) -> Call {
        Call {
            operation: "DynamoDB.Query".into(),
            started: base + Duration::from_millis(start_ms),
            finished: base + Duration::from_millis(end_ms),
            failed: false,
        }
    }

    #[test]
    fn calls_made_together_are_one_round() {
        let base = Instant::now();
        assert_eq!(rounds(&[]), 0);
        assert_eq!(rounds(&[call(0, 5, base), call(1, 7, base), call(1, 3, base)]), 1);
        assert_eq!(rounds(&[call(0, 5, base), call(6, 9, base), call(10, 12, base), call(10, 11, base)]), 3);
        assert_eq!(rounds(&[call(0, 2, base), call(1, 9, base), call(3, 4, base)]), 1, "started while one was out");
    }
}

#[cfg(test)]
mod wiring {
    use super::*;

    #[tokio::test]
    async fn an_sdk_call_is_counted_even_when_it_fails() {
        let config = aws_sdk_dynamodb::config::Builder::new()
            .behavior_version(aws_sdk_dynamodb::config::BehaviorVersion::latest())
            .region(aws_sdk_dynamodb::config::Region::new("eu-west-2"))
            .credentials_provider(aws_sdk_dynamodb::config::Credentials::new("test", "test", None, None, "test"))
            .endpoint_url("http://127.0.0.1:9")
            .retry_config(aws_sdk_dynamodb::config::retry::RetryConfig::disabled())
            .interceptor(CountCalls)
            .build();
        let client = aws_sdk_dynamodb::Client::from_conf(config);
        begin_request();
        let _ = client.list_tables().send().await;
        let summary = summary();
        assert_eq!((summary.calls, summary.dynamodb_calls, summary.rounds), (1, 1, 1), "{summary:?}");
        assert_eq!(summary.failed_calls, 1, "nothing answers on that port");
    }
}
