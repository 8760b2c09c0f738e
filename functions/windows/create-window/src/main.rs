//! POST /services/{id}/windows: enters the claim window for one period, in
//! England's time. It must close after it opens and not overlap another.

use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::claim_window::{clash, WindowForm};
use shared::edge::address::ServiceId;
use shared::edge::{json, Answered, Json, Path};
use shared::views::catalogue::WindowView;
use shared::{App, AppError};

shared::serve_http!(POST "/services/{id}/windows" => create);

async fn create(
    app: &App, who: SignedIn, Path(id): Path<ServiceId>, form: Json<WindowForm>,
) -> Answered<Option<WindowView<'static>>, 201> {
    let (caller, found) = signed_in_alongside(app, &who, app.store.service(&id)).await?;
    let service = access::catalogue::service_to_change(&app.store, &caller, found).await?;
    let window = form.read()?.validate(service.financial_year, service.claim_periods)?;
    let existing: Vec<_> = app.store.windows_of(&service.id).await?.iter().filter_map(|w| w.window()).collect();
    if let Some(problem) = clash(&window, &existing) {
        let field = if existing.iter().any(|w| w.period == window.period) { "period" } else { "opens" };
        return Err(AppError::invalid_field(field, problem));
    }
    let now = shared::Timestamp::now();
    let created = app.store.add_windows(&service, &[window], &caller.user_id, now).await?;
    let view = created.first().and_then(|w| WindowView::of(w, now));
    json(&view)
}
