//! Scheduled: a few days (REMINDER_DAYS_BEFORE_CLOSE) before a claim window
//! closes, emails the people of every provider that accepted the service and
//! has not claimed. Each email has a fixed id, so overlapping or repeated runs
//! send it once; the window then records that its reminders went.

use shared::access;
use shared::mail::templates::claim_window_closing;
use shared::store::windows::WindowRecord;
use shared::views::catalogue::RemindersRun;
use shared::Timestamp;
use shared::{App, AppError};

shared::serve_schedule!(remind);

async fn remind(app: &App, now: Timestamp) -> Result<RemindersRun, AppError> {
    let horizon = now
        .checked_add(jiff::SignedDuration::from_hours(24 * app.config.reminder_days))
        .map_err(|e| AppError::Internal(format!("reminder horizon: {e}")))?;
    let due = app.store.windows_due_to_close(horizon.into()).await?;
    let mut windows = 0;
    let mut emails = 0;
    for window in due.iter().filter(|w| w.reminded_at.is_none() && w.opens_at <= now && now < w.closes_at) {
        emails += remind_providers(app, window).await?;
        if app.store.mark_reminded(window, now).await? {
            windows += 1;
        }
    }
    tracing::info!(at = %now, windows, emails, "claim window reminders queued");
    Ok(RemindersRun { at: now, windows, emails })
}

/// Queues one email per active person of each provider that still owes a claim.
async fn remind_providers(app: &App, window: &WindowRecord) -> Result<usize, AppError> {
    let owing = access::catalogue::providers_without_claim(&app.store, window).await?;
    if owing.is_empty() {
        return Ok(0);
    }
    let service = app.store.service(&window.service_id).await?;
    let service_name = service.map(|s| s.name).unwrap_or_default();
    let period = window.window().map(|w| w.period.label()).unwrap_or_else(|| window.period_key.clone());
    let mut queued = 0;
    for provider in owing {
        for person in access::catalogue::provider_people(&app.store, &provider.code).await? {
            let to = person.names();
            let id =
                format!("reminder-{}-{}-{}-{}", window.service_id, window.period_key, provider.code, person.user_id);
            let mail = claim_window_closing(&to, id, &provider.name, &service_name, &period, window.closes_at);
            app.mail().enqueue(&mail).await?;
            queued += 1;
        }
    }
    Ok(queued)
}
