//! Scheduled: closes every open claim window whose closing time has come,
//! recording the providers that accepted the service but made no claim as
//! having missed it. Each window closes once, however many runs overlap.

use shared::access;
use shared::views::catalogue::WindowsRun;
use shared::Timestamp;
use shared::{App, AppError};

shared::serve_schedule!(close_due);

async fn close_due(app: &App, now: Timestamp) -> Result<WindowsRun, AppError> {
    let due = app.store.windows_due_to_close(now).await?;
    let mut closed = 0;
    let mut missed = 0;
    for window in &due {
        let missing: Vec<_> =
            access::catalogue::providers_without_claim(&app.store, window).await?.into_iter().map(|p| p.code).collect();
        if app.store.close_window(window, &missing, now).await? {
            closed += 1;
            missed += missing.len();
            tracing::info!(service = %window.service_id, period = %window.period_key, missed = missing.len(), "claim window closed");
        }
    }
    Ok(WindowsRun { at: now, due: due.len(), opened: None, closed: Some(closed), missed: Some(missed) })
}
