//! POST /services/{id}/windows/generate: claim windows for every period of the
//! service's year that has none, each opening the day after its period ends
//! and open for `openForDays` days (14 unless given), closing at 23:59. The
//! same request sent again with its `Idempotency-Key` is answered as the
//! first was; the key sent with another request is refused.

use serde::Deserialize;
use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::claim_window::{clash, generate, OPEN_FOR_DAYS_DEFAULT, OPEN_FOR_DAYS_MAX};
use shared::edge::address::ServiceId;
use shared::edge::OrDone;
use shared::edge::{json_with_status, Answered, IdempotencyKey, Json, Path};
use shared::store::requests::Keyed;
use shared::views::catalogue::{WindowView, WindowsGenerated};
use shared::workflow::windows::add_windows_once;
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
    app: &App, who: SignedIn, Path(id): Path<ServiceId>, key: IdempotencyKey, form: Json<GenerateForm>,
) -> Answered<OrDone<WindowsGenerated<'static>>, 201> {
    let (caller, service) = access::catalogue::open_service_to_change(app, &who, &id).await?;
    let route = format!("POST /services/{}/windows/generate", service.id);
    let keyed = Keyed::new(&caller.user_id, key.key()?, &route, &form.fingerprint());
    let days = form.read()?.open_for_days.unwrap_or(OPEN_FOR_DAYS_DEFAULT);
    if !(1..=OPEN_FOR_DAYS_MAX).contains(&days) {
        return Err(AppError::invalid_field(
            "openForDays",
            format!("A claim window is open for 1 to {OPEN_FOR_DAYS_MAX} days"),
        ));
    }
    let proposed = generate(service.financial_year, service.claim_periods, days)
        .map_err(|detail| AppError::invalid_field("openForDays", detail))?;
    let periods: Vec<String> = proposed.iter().map(|w| w.period.key()).collect();
    let now = shared::Timestamp::now();
    let created = add_windows_once(app, &service, &keyed, now, |existing| {
        let new: Vec<_> = proposed.into_iter().filter(|w| !existing.iter().any(|e| e.period == w.period)).collect();
        match new.iter().find_map(|w| clash(w, existing)) {
            Some(problem) => Err(AppError::invalid_field("openForDays", problem)),
            None => Ok(new),
        }
    })
    .await?;
    let skipped = periods.into_iter().filter(|period| !created.iter().any(|w| &w.period_key == period)).collect();
    let created: Vec<_> = created.iter().filter_map(|w| WindowView::of(w, now)).collect();
    json_with_status(if created.is_empty() { 200 } else { 201 }, &WindowsGenerated { created, skipped })
}
