//! POST /offers/{id}/accept: the provider takes up a service it was offered,
//! so it can claim for it.

use lambda_http::Request;
use shared::http::{serve, HttpResult};
use shared::App;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    serve(|request| accept(&app, request)).await
}

async fn accept(app: &App, request: Request) -> HttpResult {
    app.answer_offer(&request, true).await
}
