//! POST /offers/{id}/decline: the provider turns down a service it was offered;
//! its commissioner may offer it again.

use lambda_http::Request;
use shared::http::{serve, HttpResult};
use shared::App;

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    serve(|request| decline(&app, request)).await
}

async fn decline(app: &App, request: Request) -> HttpResult {
    app.answer_offer(&request, false).await
}
