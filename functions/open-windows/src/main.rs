//! Scheduled: opens every claim window whose opening time has come. Each
//! window opens once, however many runs overlap.

use lambda_runtime::{service_fn, LambdaEvent};
use serde_json::{json, Value};
use shared::catalogue::scheduled_time;
use shared::store::keys;
use shared::{App, AppError};

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    shared::telemetry::init();
    let app = App::from_env().await?;
    let app = &app;
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        open_due(app, &event.payload).await.map_err(lambda_runtime::Error::from)
    }))
    .await
}

async fn open_due(app: &App, event: &Value) -> Result<Value, AppError> {
    let now = scheduled_time(event);
    let due = app.store.windows_due(keys::WINDOWS_OPENING, now).await?;
    let mut opened = 0;
    for window in &due {
        if app.store.open_window(window).await? {
            opened += 1;
        }
    }
    tracing::info!(at = %now, due = due.len(), opened, "claim windows opened");
    Ok(json!({ "at": now, "due": due.len(), "opened": opened }))
}
