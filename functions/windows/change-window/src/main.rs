//! PATCH /services/{id}/windows/{period}: moves a claim window that has not
//! closed — a scheduled one to new dates, an open one to close later or
//! sooner (never before now) — in England's time, without overlapping another.

use serde::Deserialize;
use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::claim_window::{self, ChangeRefused, WindowForm};
use shared::edge::address::{PeriodKey, ServiceId};
use shared::edge::{json, Answered, Json, Path};
use shared::views::catalogue::WindowView;
use shared::ConflictKind;
use shared::{App, AppError};

/// The window's new times; its period is the one the path names.
#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = NewWindowTimes)]
struct WindowTimes {
    #[schema(schema_with = shared::edge::openapi::fields::window_time, required = true)]
    opens: Option<String>,
    #[schema(schema_with = shared::edge::openapi::fields::window_time, required = true)]
    closes: Option<String>,
}

shared::serve_http!(PATCH "/services/{id}/windows/{period}" => change);

async fn change(
    app: &App, who: SignedIn, Path((id, period)): Path<(ServiceId, PeriodKey)>, form: Json<WindowTimes>,
) -> Answered<WindowView<'static>> {
    let named = async { tokio::try_join!(app.store.service(&id), app.store.windows_of(&id)) };
    let (caller, (found, windows)) = signed_in_alongside(app, &who, named).await?;
    let service = access::catalogue::service_to_change(&app.store, &caller, found).await?;
    let times = form.read()?;
    let form = WindowForm { period: Some(period.0), opens: times.opens, closes: times.closes };
    let proposed = form.validate(service.financial_year, service.claim_periods)?;
    let record = windows.iter().find(|w| w.period_key == proposed.period.key()).ok_or_else(|| {
        AppError::NotFound(format!("{} has no claim window for {}", service.name, proposed.period.label()))
    })?;
    let current = record.window().ok_or_else(|| AppError::Internal("a stored window names no period".into()))?;
    let others: Vec<_> =
        windows.iter().filter(|w| w.period_key != record.period_key).filter_map(|w| w.window()).collect();
    let now = shared::Timestamp::now();
    claim_window::change(&current, record.progress, &proposed, &others, now.instant()).map_err(
        |refused| match refused {
            ChangeRefused::Closed(detail) => AppError::conflict(ConflictKind::WindowClosed, detail),
            ChangeRefused::Field(field, detail) => AppError::invalid_field(field, detail),
        },
    )?;
    let changed = app.store.change_window(&service, record, &proposed, &caller.user_id, now).await?;
    json(&WindowView::of(&changed, now))
}
