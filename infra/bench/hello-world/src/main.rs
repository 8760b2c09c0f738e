//! Baseline for cold-start measurements: answers every request with "hello".

use lambda_http::{service_fn, Body, Error, Request, Response};

#[tokio::main]
async fn main() -> Result<(), Error> {
    lambda_http::run(service_fn(|_request: Request| async {
        Response::builder().status(200).body(Body::from("hello")).map_err(Error::from)
    }))
    .await
}
