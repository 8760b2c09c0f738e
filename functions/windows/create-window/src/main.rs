//! POST /services/{id}/windows: enters the claim window for one period, in
//! England's time. It must close after it opens and not overlap another.
//! The same request sent again with its `Idempotency-Key` is answered with
//! what the first made; the key sent with another request is refused.

use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::domain::claim_window::{clash, WindowForm};
use shared::edge::address::ServiceId;
use shared::edge::{json, Answered, IdempotencyKey, Json, Path};
use shared::store::requests::Keyed;
use shared::views::catalogue::WindowView;
use shared::{App, AppError};

shared::serve_http!(POST "/services/{id}/windows" => create);

async fn create(
    app: &App, who: SignedIn, Path(id): Path<ServiceId>, key: IdempotencyKey, form: Json<WindowForm>,
) -> Answered<Option<WindowView<'static>>, 201> {
    let key = key.key()?;
    let (caller, found) = signed_in_alongside(app, &who, app.store.service(&id)).await?;
    let service = access::catalogue::service_to_change(&app.store, &caller, found).await?;
    let window = form.read()?.validate(service.financial_year, service.claim_periods)?;
    let route = format!("POST /services/{}/windows", service.id);
    let keyed = Keyed::new(&caller.user_id, key, &route, &form.fingerprint());
    let now = shared::Timestamp::now();
    let service = &service;
    let created = app
        .store
        .create_once(
            &keyed,
            || async {
                let windows = app.store.windows_of(&service.id).await?;
                let existing: Vec<_> = windows.iter().filter_map(|w| w.window()).collect();
                if let Some(problem) = clash(&window, &existing) {
                    let field = if existing.iter().any(|w| w.period == window.period) { "period" } else { "opens" };
                    return Err(AppError::invalid_field(field, problem));
                }
                app.store.add_windows(service, std::slice::from_ref(&window), &caller.user_id, Some(&keyed), now).await
            },
            |made| async move {
                let windows = app.store.windows_of(&service.id).await?;
                Ok(windows.into_iter().filter(|w| w.period_key == made).collect())
            },
        )
        .await?;
    let view = created.first().and_then(|w| WindowView::of(w, now));
    json(&view)
}
