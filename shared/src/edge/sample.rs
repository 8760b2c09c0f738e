//! Each function's sample event (`events/<function>.json`, the shape AWS sends)
//! fed through the function's own request reading, by a test in the function:
//! `shared::sample_event_test!(…)`. A sample that drifts from the code fails.

use crate::edge::parts::Step;
use lambda_http::{Request, RequestExt};
use serde::de::DeserializeOwned;
use std::path::PathBuf;

/// `events/<function>.json` for the function crate at `crate_dir`
/// (`functions/<resource>/<function>`, so the events are three folders up).
pub fn event_file(crate_dir: &str) -> (String, PathBuf) {
    let dir = PathBuf::from(crate_dir);
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let file = dir.join("../../../events").join(format!("{name}.json"));
    (name, file)
}

fn read(crate_dir: &str) -> (String, String) {
    let (name, file) = event_file(crate_dir);
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("events/{name}.json cannot be read: {e}"));
    (name, text)
}

/// The sample as the request `lambda_http` hands the function.
pub fn http_request(crate_dir: &str) -> (String, Request) {
    let (name, text) = read(crate_dir);
    let request = lambda_http::request::from_str(&text)
        .unwrap_or_else(|e| panic!("events/{name}.json is not an API Gateway HTTP API event: {e}"));
    (name, request)
}

/// An HTTP step's sample: a request for the step's own route (`route`, as
/// "METHOD /path"), holding every part of the request the step takes.
pub fn http<S: Step<P>, P>(crate_dir: &str, route: &str, step: &S) {
    let (name, request) = http_request(crate_dir);
    let sent = match request.request_context_ref() {
        Some(lambda_http::request::RequestContext::ApiGatewayV2(context)) => context.route_key.as_deref(),
        _ => None,
    }
    .unwrap_or_default();
    assert_eq!(sent, route, "events/{name}.json is for `{sent}`, but the step serves `{route}`");
    step.check_sample(&name, &request);
}

/// A scheduled function's sample: the Input the template gives the schedule.
pub fn scheduled(crate_dir: &str) {
    let (name, text) = read(crate_dir);
    let event: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("events/{name}.json is not JSON: {e}"));
    let raw = event.get("scheduledTime").and_then(|v| v.as_str());
    assert!(
        raw.is_some_and(|t| t.parse::<jiff::Timestamp>().is_ok()),
        "events/{name}.json has no readable scheduledTime"
    );
}

/// A user-pool trigger's sample: the event Cognito sends, naming the person.
pub fn cognito_trigger(crate_dir: &str) {
    let (name, text) = read(crate_dir);
    let event: serde_json::Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("events/{name}.json is not JSON: {e}"));
    assert!(
        event.get("triggerSource").and_then(|t| t.as_str()).is_some_and(|t| t.starts_with("PostAuthentication_")),
        "events/{name}.json is not a post-authentication trigger event"
    );
    assert!(
        crate::edge::cognito::subject(&event).is_some(),
        "events/{name}.json names no user (request.userAttributes.sub)"
    );
}

/// A queue consumer's sample: an SQS batch whose every body is a `T`.
pub fn queue<T: DeserializeOwned>(crate_dir: &str) {
    let (name, text) = read(crate_dir);
    let event: aws_lambda_events::sqs::SqsEvent =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("events/{name}.json is not an SQS event: {e}"));
    assert!(!event.records.is_empty(), "events/{name}.json has no messages");
    for record in event.records {
        let body = record.body.unwrap_or_default();
        if let Err(error) = serde_json::from_str::<T>(&body) {
            panic!("events/{name}.json has a message this function cannot read: {error}");
        }
    }
}

/// A test, in a function's crate, that its sample event is a request it reads.
/// Written by `serve_http!`, `serve_schedule!` and `serve_queue!`.
#[macro_export]
macro_rules! sample_event_test {
    (scheduled) => {
        #[cfg(test)]
        #[test]
        fn its_sample_event_is_one_it_reads() {
            $crate::edge::sample::scheduled(env!("CARGO_MANIFEST_DIR"));
        }
    };
    (cognito_trigger) => {
        #[cfg(test)]
        #[test]
        fn its_sample_event_is_one_it_reads() {
            $crate::edge::sample::cognito_trigger(env!("CARGO_MANIFEST_DIR"));
        }
    };
    (queue: $message:ty) => {
        #[cfg(test)]
        #[test]
        fn its_sample_event_is_one_it_reads() {
            $crate::edge::sample::queue::<$message>(env!("CARGO_MANIFEST_DIR"));
        }
    };
    (http: $route:expr, $step:ident) => {
        #[cfg(test)]
        #[test]
        fn its_sample_event_is_a_request_for_its_route_that_it_reads() {
            $crate::edge::sample::http(env!("CARGO_MANIFEST_DIR"), $route, &$step);
        }
    };
}

/// The `main` of an HTTP function, named with its route, and the test that
/// its sample event (`events/<function>.json`) is a request for that route
/// that it reads — what the step reads is what its arguments' types say
/// ([`parts`](crate::edge::parts)):
///
/// ```ignore
/// shared::serve_http!(POST "/registrations/{id}/review" => review);
/// ```
///
/// The route said here is the step's own: the sample event must be for it
/// (this test), and template.yaml must deploy the function for it
/// (tests/test_contract.py). Every route is for a signed-in caller, whose
/// token is verified before the step reads anything else (401 otherwise),
/// unless it says `public` — the routes anyone may call
/// (`serve_http!(public POST "/registrations" => register)`).
#[macro_export]
macro_rules! serve_http {
    (public $method:ident $route:literal => $step:ident $(, refusing $($status:literal),+)?) => {
        $crate::serve_http!(@main Anyone $method $route => $step, [$($($status),+)?]);
    };
    ($method:ident $route:literal => $step:ident $(, refusing $($status:literal),+)?) => {
        $crate::serve_http!(@main SignedIn $method $route => $step, [$($($status),+)?]);
    };
    (@main $audience:ident $method:ident $route:literal => $step:ident, [$($status:literal),*]) => {
        /// Serves the route; with `--openapi`, prints its description instead.
        #[tokio::main]
        async fn main() -> Result<(), $crate::edge::lambda_http::Error> {
            if std::env::args().nth(1).as_deref() == Some("--openapi") {
                let route = $crate::edge::openapi::Route {
                    method: stringify!($method),
                    path: $route,
                    function: env!("CARGO_PKG_NAME"),
                    folder: env!("CARGO_MANIFEST_DIR"),
                    refusing: &[$($status),*],
                };
                println!("{}", route.describe(&$step));
                return Ok(());
            }
            $crate::edge::run($crate::edge::Audience::$audience, $step).await
        }

        $crate::sample_event_test!(http: concat!(stringify!($method), " ", $route), $step);
    };
}

/// The `main` of a scheduled function, and the test of its sample event.
#[macro_export]
macro_rules! serve_schedule {
    ($step:ident) => {
        #[tokio::main]
        async fn main() -> Result<(), $crate::edge::lambda_http::Error> {
            $crate::edge::schedule::run($step).await
        }

        $crate::sample_event_test!(scheduled);
    };
}

/// The `main` of a queue consumer, and the test of its sample event.
#[macro_export]
macro_rules! serve_queue {
    ($step:ident, $message:ty) => {
        #[tokio::main]
        async fn main() -> Result<(), $crate::edge::lambda_http::Error> {
            $crate::edge::queue::run($step).await
        }

        $crate::sample_event_test!(queue: $message);
    };
}

/// The `main` of a user-pool trigger, and the test of its sample event.
#[macro_export]
macro_rules! serve_cognito_trigger {
    ($step:ident) => {
        #[tokio::main]
        async fn main() -> Result<(), $crate::edge::lambda_http::Error> {
            $crate::edge::cognito::run($step).await
        }

        $crate::sample_event_test!(cognito_trigger);
    };
}
