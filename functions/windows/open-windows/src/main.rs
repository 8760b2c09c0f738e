//! Scheduled: opens every claim window whose opening time has come. Each
//! window opens once, however many runs overlap.

use shared::views::catalogue::WindowsRun;
use shared::Timestamp;
use shared::{App, AppError};

shared::serve_schedule!(open_due);

async fn open_due(app: &App, now: Timestamp) -> Result<WindowsRun, AppError> {
    let due = app.store.windows_due_to_open(now).await?;
    let mut opened = 0;
    for window in &due {
        if app.store.open_window(window).await? {
            opened += 1;
        }
    }
    tracing::info!(at = %now, due = due.len(), opened, "claim windows opened");
    Ok(WindowsRun { at: now, due: due.len(), opened: Some(opened), closed: None, missed: None })
}
