//! POST /services/{id}/windows/generate: claim windows for every period of the
//! service's year that has none, each opening the day after its period ends
//! and open for `openForDays` days (14 unless given), closing at 23:59.

use serde::Deserialize;
use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::claim_window::{clash, generate, OPEN_FOR_DAYS_DEFAULT, OPEN_FOR_DAYS_MAX};
use shared::edge::address::ServiceId;
use shared::edge::OrDone;
use shared::edge::{json_with_status, Answered, Json, Path};
use shared::views::catalogue::{WindowView, WindowsGenerated};
use shared::{App, AppError};

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = GenerateWindowsForm)]
struct GenerateForm {
    #[schema(schema_with = shared::edge::openapi::fields::days_open)]
    open_for_days: Option<i16>,
}

shared::serve_http!(POST "/services/{id}/windows/generate" => generate_windows);

async fn generate_windows(
    app: &App, who: SignedIn, Path(id): Path<ServiceId>, form: Json<GenerateForm>,
) -> Answered<OrDone<WindowsGenerated<'static>>, 201> {
    let (caller, found) = signed_in_alongside(app, &who, app.store.service(&id)).await?;
    let service = access::catalogue::service_to_change(&app.store, &caller, found).await?;
    let days = form.read()?.open_for_days.unwrap_or(OPEN_FOR_DAYS_DEFAULT);
    if !(1..=OPEN_FOR_DAYS_MAX).contains(&days) {
        return Err(AppError::invalid_field(
            "openForDays",
            format!("A claim window is open for 1 to {OPEN_FOR_DAYS_MAX} days"),
        ));
    }
    let existing: Vec<_> = app.store.windows_of(&service.id).await?.iter().filter_map(|w| w.window()).collect();
    let proposed = generate(service.financial_year, service.claim_periods, days)
        .map_err(|detail| AppError::invalid_field("openForDays", detail))?;
    let (skipped, new): (Vec<_>, Vec<_>) =
        proposed.into_iter().partition(|w| existing.iter().any(|e| e.period == w.period));
    if let Some(problem) = new.iter().find_map(|w| clash(w, &existing)) {
        return Err(AppError::invalid_field("openForDays", problem));
    }
    let now = shared::Timestamp::now();
    let created = if new.is_empty() {
        Vec::new()
    } else {
        app.store.add_windows(&service, &new, &caller.user_id, None, now).await?
    };
    let created: Vec<_> = created.iter().filter_map(|w| WindowView::of(w, now)).collect();
    let skipped = skipped.iter().map(|w| w.period.key()).collect();
    json_with_status(if created.is_empty() { 200 } else { 201 }, &WindowsGenerated { created, skipped })
}
