//! Who may enter bulk claims, and what they are entered against: a Tier 1
//! approver of a commissioner that owns or shares the service, for one of the
//! service's periods, for that commissioner's practices that accepted it.

use super::caller::signed_in_account_alongside;
use super::caller::SignedIn;
use super::catalogue::service_to_view;
use crate::app::App;
use crate::domain::bulk_claim::{units_columns, UnitsColumn};
use crate::domain::claim_line::ClaimLine;
use crate::domain::component_version::in_force;
use crate::domain::financial_year::Period;
use crate::domain::ods::OdsCode;
use crate::domain::offer::OfferStatus;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::store::accounts::AccountView;
use crate::store::catalogue::ServiceRecord;
use crate::store::components::Component;
use crate::store::offers::OfferRecord;

/// What a bulk claim for one service and period is made against.
pub struct BulkClaims {
    pub account: AccountView,
    /// The commissioner the caller approves for (its record is read where a
    /// claim is written, beside the rest of that step's reads).
    pub commissioner: OdsCode,
    pub service: ServiceRecord,
    pub period: Period,
    pub components: Vec<Component>,
    /// The commissioner's offers of the service, whatever their answer.
    pub offers: Vec<OfferRecord>,
}

impl BulkClaims {
    /// The lines of a claim for `provider`: every component, as the version in
    /// force at the end of the period defines it for this practice.
    pub fn lines_for(&self, provider: &OdsCode) -> Vec<ClaimLine> {
        let key = self.period.key();
        self.components
            .iter()
            .filter_map(|component| {
                let version = in_force(&component.versions, self.period.last_day)?;
                Some(ClaimLine::new(&self.service.id, &key, &component.id, version, provider))
            })
            .collect()
    }

    pub fn columns(&self) -> Vec<UnitsColumn> {
        units_columns(&self.lines_for(&self.commissioner))
    }

    /// The practices that accepted the service, by code.
    pub fn accepted(&self) -> impl Iterator<Item = &OfferRecord> {
        self.offers.iter().filter(|o| o.status == OfferStatus::Accepted)
    }
}

/// The period and commissioner a bulk claim is for (`?period=Q2&commissioner=`).
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BulkClaimAddress {
    /// The service year's period, Q1–Q4 or M01–M12 (or its full key, 2026-27-Q2)
    #[param(value_type = crate::edge::openapi::fields::PeriodOfTheYear, required = true)]
    pub period: Option<String>,
    #[param(value_type = Option<crate::domain::ods::OdsCode>)]
    pub commissioner: Option<String>,
}

/// Opens a bulk claim: the caller, the service and the period in the address
/// (`/services/{id}/bulk-claims?period=Q2&commissioner=`), the components and
/// offers — all read in one round trip beside the caller's account, since the
/// address names them all. 403 unless the caller is a Tier 1 approver of a
/// commissioner of the service.
pub async fn open(
    app: &App, caller: &SignedIn, service_id: &str, wanted: &BulkClaimAddress,
) -> Result<BulkClaims, AppError> {
    let service_and_parts = async {
        tokio::try_join!(
            app.store.service(service_id),
            app.store.components(service_id),
            app.store.offers_of_service(service_id)
        )
    };
    let (account, (found, components, offers)) = signed_in_account_alongside(app, caller, service_and_parts).await?;
    let caller = account.caller();
    let (service, _) = service_to_view(&app.store, &caller, found).await?;
    let mut approving: Vec<OdsCode> =
        service.commissioners().filter(|c| caller.holds(Role::ApproverTier1, c)).cloned().collect();
    if let Some(raw) = wanted.commissioner.as_deref().filter(|r| !r.trim().is_empty()) {
        let code = OdsCode::parse(raw).map_err(|detail| AppError::invalid_field("commissioner", detail))?;
        approving.retain(|c| c == &code);
    }
    let commissioner = match approving.as_slice() {
        [one] => one.clone(),
        [] => {
            return Err(AppError::Forbidden(
                "Only a commissioner's Tier 1 approvers enter bulk claims for its practices".into(),
            ))
        }
        _ => {
            return Err(AppError::invalid_field(
                "commissioner",
                "You approve at Tier 1 for more than one commissioner of this service: choose which",
            ))
        }
    };
    let raw_period = wanted.period.as_deref().unwrap_or_default();
    if raw_period.trim().is_empty() {
        return Err(AppError::invalid_field("period", "Choose the period the claims are for"));
    }
    let period = service.financial_year.period(raw_period).map_err(|d| AppError::invalid_field("period", d))?;
    if period.kind != service.claim_periods {
        return Err(AppError::invalid_field(
            "period",
            format!(
                "{} is not claimed by periods like {}: choose one of its own periods",
                service.name,
                raw_period.trim()
            ),
        ));
    }
    let offers = offers.into_iter().filter(|o| o.commissioner == commissioner).collect();
    Ok(BulkClaims { account, commissioner, service, period, components, offers })
}
