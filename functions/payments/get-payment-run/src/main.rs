//! GET /payment-runs/{id}?provider=&limit=&cursor=: a payment run — its status,
//! payment date, totals by practice — and a page of its claims with their
//! lines (one practice's, with `provider`).

use serde::Deserialize;
use shared::access::caller::SignedIn;
use shared::access::payments;
use shared::domain::ods::OdsCode;
use shared::edge::address::PaymentRunId;
use shared::edge::{json, Answered, Paging, Path, Query};
use shared::views::payments::{PaymentRunView, RunClaimView, RunWithClaims};
use shared::{App, AppError};

shared::serve_http!(GET "/payment-runs/{id}" => get);

/// A page of the run's claims, perhaps of one practice's.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Wanted {
    #[param(value_type = Option<shared::domain::ods::OdsCode>)]
    provider: Option<String>,
}

async fn get(
    app: &App, who: SignedIn, Path(id): Path<PaymentRunId>, wanted: Query<Wanted>, paging: Paging,
) -> Answered<RunWithClaims<'static>> {
    let (_, run) = payments::open(app, &who, &id).await?;
    let wanted = wanted.read()?;
    let provider = wanted
        .provider
        .filter(|p| !p.trim().is_empty())
        .map(|raw| OdsCode::parse(&raw).map_err(|detail| AppError::invalid_field("provider", detail)))
        .transpose()?;
    let size = paging.size()?;
    let page = app.store.run_claims_page(&run.id, provider.as_ref(), size, paging.cursor()).await?;
    let items = page.items.iter().map(RunClaimView::of).collect();
    json(&RunWithClaims { run: PaymentRunView::of(&run), items, next_cursor: page.next_cursor.as_deref() })
}
