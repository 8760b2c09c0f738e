//! The edge: how a Lambda invocation becomes a step and its result a response —
//! request extraction, problem+json, the process entry points, logs.

pub mod address;
pub mod asked;
pub mod aws_calls;
pub mod cognito;
pub mod crash;
pub mod openapi;
pub mod parts;
pub mod problem;
pub mod queue;
pub mod request;
pub mod sample;
pub mod schedule;
pub mod telemetry;

/// For the entry-point macros, so a function needs no direct dependency on it.
pub use lambda_http;

pub use openapi::{Answer, Answered, Csv, Html, OneOf, OrDone};
pub use parts::{query_value, Cookies, CsvFile, IdempotencyKey, IfMatch, Json, Paging, Path, PathValue, Query};
pub use problem::problem_response;
pub use request::bearer_token;

use crate::app::App;
use crate::error::AppError;
use lambda_http::{service_fn, Body, Request, RequestExt, Response};
use serde::Serialize;
use std::convert::Infallible;
use std::future::Future;
use tracing::Instrument;

pub type HttpResult = Result<Response<Body>, AppError>;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The public routes (registering, completing it, accepting an invitation).
    Anyone,
    /// Everything else: the bearer token is verified before the step runs, so
    /// a request without a good one is refused (401) before anything in it —
    /// its path, query or body — is read.
    SignedIn,
}

/// The whole `main` of an HTTP function: logs, settings and clients built once
/// for the process, then `step` for every request its audience may make,
/// given the parts of the request it takes ([`parts`]).
pub async fn run<S: parts::Step<P>, P>(audience: Audience, step: S) -> Result<(), lambda_http::Error> {
    let app = start().await?;
    let step = &step;
    serve(move |mut request: Request| async move {
        if audience == Audience::SignedIn {
            let verified = app.verifier().verify(bearer_token(&request)?).await?;
            request.extensions_mut().insert(crate::access::caller::SignedIn::new(verified));
        }
        step.call(app, request).await
    })
    .await
}

/// Once per process: logs, then settings and clients, kept for the process's life.
pub(crate) async fn start() -> Result<&'static App, lambda_http::Error> {
    telemetry::init();
    Ok(Box::leak(Box::new(App::from_env().await?)))
}

/// Runs an HTTP function: every request gets a span (request id, route) and every
/// error becomes problem+json here, so handlers only return `Result`.
pub async fn serve<H, Fut>(handler: H) -> Result<(), lambda_http::Error>
where
    H: Fn(Request) -> Fut + Sync,
    Fut: Future<Output = HttpResult> + Send,
{
    let handler = &handler;
    lambda_http::run(service_fn(move |request: Request| async move {
        let request_id = request.lambda_context_ref().map(|context| context.request_id.clone()).unwrap_or_default();
        let span = tracing::info_span!(
            "request",
            request_id = %request_id,
            method = %request.method(),
            path = %request.uri().path(),
            user_id = tracing::field::Empty,
        );
        aws_calls::begin_request();
        let started = std::time::Instant::now();
        let result = handler(request).instrument(span.clone()).await;
        let cost = aws_calls::summary();
        let response = span.in_scope(|| {
            let response = match result {
                Ok(response) => response,
                Err(error) => problem_response(&error),
            };
            tracing::info!(
                status = response.status().as_u16(),
                aws_calls = cost.calls,
                aws_rounds = cost.rounds,
                dynamodb_calls = cost.dynamodb_calls,
                dynamodb_rounds = cost.dynamodb_rounds,
                scans = cost.scans,
                aws_ms = cost.waited.as_millis() as u64,
                duration_ms = started.elapsed().as_millis() as u64,
                caller_lookup = cost.caller_lookup,
                organisation_read_after = cost.organisation_read_after,
                failed_calls = cost.failed_calls,
                keyed_repeat = cost.keyed_repeat,
                "request completed"
            );
            response
        });
        Ok::<_, Infallible>(response)
    }))
    .await
}

/// A CSV file to save, named `file_name`. Only a [`Sheet`] becomes one, so
/// every CSV answer has had each cell neutralised against spreadsheet formulas.
///
/// [`Sheet`]: crate::domain::spreadsheet::Sheet
pub fn csv_file<S>(file_name: &str, sheet: crate::domain::spreadsheet::Sheet) -> Answered<S> {
    let text = sheet.finish()?;
    let safe: String =
        file_name.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '-' }).collect();
    Response::builder()
        .status(200)
        .header("content-type", "text/csv; charset=utf-8")
        .header("content-disposition", format!("attachment; filename=\"{safe}\""))
        .header("cache-control", "no-store")
        .body(Body::from(text))
        .map(Answer::new)
        .map_err(|e| AppError::Internal(format!("building response: {e}")))
}

/// The answer as JSON, with the status its type names (200 unless it says 201).
pub fn json<S, const STATUS: u16>(value: &impl Serialize) -> Answered<S, STATUS> {
    json_setting_cookie(value, None)
}

/// JSON answered with a status chosen as the step runs (created, or not).
pub fn json_with_status<S, const STATUS: u16>(status: u16, value: &impl Serialize) -> Answered<S, STATUS> {
    json_response(status, value, None).map(Answer::new)
}

/// JSON that also sets (or clears) a cookie: the session routes' refresh token.
pub fn json_setting_cookie<S, const STATUS: u16>(
    value: &impl Serialize, cookie: Option<String>,
) -> Answered<S, STATUS> {
    json_response(STATUS, value, cookie).map(Answer::new)
}

fn json_response<T: Serialize>(status: u16, value: &T, cookie: Option<String>) -> HttpResult {
    let body = serde_json::to_string(value).map_err(|e| AppError::Internal(format!("serialising response: {e}")))?;
    let mut response = Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .header("cache-control", "no-store");
    if let Some(cookie) = cookie {
        response = response.header("set-cookie", cookie);
    }
    response.body(Body::from(body)).map_err(|e| AppError::Internal(format!("building response: {e}")))
}
