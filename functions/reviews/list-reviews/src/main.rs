//! GET /reviews?stage=tier1|tier2|finance|provider: a reviewer's work list —
//! the claims waiting for a decision at that stage for the caller's
//! commissioner (for `provider`, the caller's own practice), oldest first,
//! with practice, services, period, total, submitted date and days waiting.
//! Filtered by `service`, `period` and `provider`; one page at a time from the
//! sparse work-list index (no Scan).

use serde::Deserialize;
use shared::access::caller::SignedIn;
use shared::access::{self, signed_in};
use shared::domain::ods::OdsCode;
use shared::domain::review::Stage;
use shared::edge::address::{PeriodKey, ServiceId};
use shared::edge::{json, query_value, Answered, Paging, Query};
use shared::store::claims::ClaimFilter;
use shared::views::claims::{WaitingRow, WorkList};
use shared::views::listing::Listed;
use shared::{App, AppError, Timestamp};

shared::serve_http!(GET "/reviews" => list);

/// Which work list, of which organisation, filtered by practice, service and
/// period, a page at a time.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Wanted {
    #[serde(default, deserialize_with = "query_value")]
    #[param(required = true)]
    stage: Option<Stage>,
    #[param(value_type = Option<shared::domain::ods::OdsCode>)]
    commissioner: Option<String>,
    #[param(value_type = Option<shared::domain::ods::OdsCode>)]
    provider: Option<String>,
    #[serde(default, deserialize_with = "query_value")]
    service: Option<ServiceId>,
    #[serde(default, deserialize_with = "query_value")]
    period: Option<PeriodKey>,
}

async fn list(
    app: &App, who: SignedIn, wanted: Query<Wanted>, paging: Paging,
) -> Answered<Listed<'static, WorkList<'static>, WaitingRow<'static>>> {
    let caller = signed_in(app, &who).await?;
    let wanted = wanted.read()?;
    let stage = wanted
        .stage
        .ok_or_else(|| AppError::invalid_field("stage", "Choose a work list: tier1, tier2, finance or provider"))?;
    let role = stage.role();
    let holding: Vec<OdsCode> = caller.organisations_with(role).into_iter().cloned().collect();
    let refusal = format!("Only people with the {} role see the claims waiting for {}", role.label(), stage.label());
    let (organisation_param, requested, provider_filter) = if stage.decided_by_provider() {
        ("provider", wanted.provider.as_deref(), None)
    } else {
        ("commissioner", wanted.commissioner.as_deref(), wanted.provider.as_deref())
    };
    let organisation = access::catalogue::chosen_organisation(holding, requested, organisation_param, &refusal)?;
    let provider = provider_filter
        .filter(|p| !p.trim().is_empty())
        .map(|raw| OdsCode::parse(raw).map_err(|detail| AppError::invalid_field("provider", detail)))
        .transpose()?;
    let filter = ClaimFilter {
        status: None,
        service: wanted.service.clone().map(|id| id.0),
        period: wanted.period.as_ref().map(|p| p.0.clone()),
        provider,
    };
    let size = paging.size()?;
    let page = app.store.claims_waiting(stage, &organisation, &filter, size, paging.cursor()).await?;
    let now = Timestamp::now();
    json(&Listed::of(WorkList::of(stage, &organisation), &page, |claim| WaitingRow::of(claim, now)))
}
