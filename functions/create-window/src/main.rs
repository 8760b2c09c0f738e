//! POST /services/{id}/windows: enters the claim window for one period, in
//! England's time. It must close after it opens and not overlap another.

use lambda_http::Request;
use shared::catalogue_views::window_json;
use shared::domain::claim_window::{clash, WindowForm};
use shared::http::{json, json_body, path_param, serve, HttpResult};
use shared::{App, AppError};

#[tokio::main]
async fn main() -> Result<(), lambda_http::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    serve(|request| create(&app, request)).await
}

async fn create(app: &App, request: Request) -> HttpResult {
    let caller = app.caller(&request).await?;
    let service = app.service_to_change(&caller, &path_param(&request, "id")?).await?;
    let window = json_body::<WindowForm>(&request)?.validate(service.financial_year, service.claim_periods)?;
    let existing: Vec<_> = app.store.windows_of(&service.id).await?.iter().filter_map(|w| w.window()).collect();
    if let Some(problem) = clash(&window, &existing) {
        let field = if existing.iter().any(|w| w.period == window.period) { "period" } else { "opens" };
        return Err(AppError::invalid_field(field, problem));
    }
    let now = jiff::Timestamp::now();
    let created = app.store.add_windows(&service, &[window], &caller.user_id, now).await?;
    let view = created.first().and_then(|w| window_json(w, now));
    json(201, &view)
}
