//! POST /services/{id}/windows: enters the claim window for one period, in
//! England's time. It must close after it opens and not overlap another.
//! The same request sent again with its `Idempotency-Key` is answered with
//! what the first made; the key sent with another request is refused.

use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::claim_window::{clash, WindowForm};
use shared::edge::address::ServiceId;
use shared::edge::{json, Answered, IdempotencyKey, Json, Path};
use shared::store::requests::Keyed;
use shared::views::catalogue::WindowView;
use shared::workflow::windows::add_windows_once;
use shared::{App, AppError};

shared::serve_http!(POST "/services/{id}/windows" => create);

async fn create(
    app: &App, who: SignedIn, Path(id): Path<ServiceId>, key: IdempotencyKey, form: Json<WindowForm>,
) -> Answered<Option<WindowView<'static>>, 201> {
    let (caller, service) = access::catalogue::open_service_to_change(app, &who, &id).await?;
    let window = form.read()?.validate(service.financial_year, service.claim_periods)?;
    let route = format!("POST /services/{}/windows", service.id);
    let keyed = Keyed::new(&caller.user_id, key.key()?, &route, &form.fingerprint());
    let now = shared::Timestamp::now();
    let created = add_windows_once(app, &service, &keyed, now, |existing| match clash(&window, existing) {
        Some(problem) => {
            let field = if existing.iter().any(|w| w.period == window.period) { "period" } else { "opens" };
            Err(AppError::invalid_field(field, problem))
        }
        None => Ok(vec![window.clone()]),
    })
    .await?;
    let view = created.first().and_then(|w| WindowView::of(w, now));
    json(&view)
}
