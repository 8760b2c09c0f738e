//! What the catalogue routes return. Money is text ("193.42") so no float ever
//! touches it; instants are UTC with the time in England beside them.

use crate::domain::claim_window::{ClaimWindow, WindowState};
use crate::domain::component_version::{in_force, ComponentVersion};
use crate::domain::offer::offer_id;
use crate::domain::offer::OfferCounts;
use crate::domain::service::{ServiceStage, Viewer};
use crate::domain::uk_time::uk_date_time;
use crate::store::catalogue::{ServiceRecord, ServiceSummary};
use crate::store::components::Component;
use crate::store::offers::OfferRecord;
use crate::store::windows::{WindowProgress, WindowRecord};
use jiff::civil::Date;
use jiff::Timestamp;
use serde_json::{json, Value};

pub fn service_json(service: &ServiceRecord) -> Value {
    json!({
        "id": service.id,
        "commissioner": service.commissioner,
        "name": service.name,
        "description": service.description,
        "financialYear": service.financial_year,
        "claimPeriods": service.claim_periods,
        "sharedWith": service.shared_with,
        "componentCount": service.component_count,
        "windowCount": service.window_count,
        "budget": service.budget,
        "vatCode": service.vat_code,
        "costCentre": service.cost_centre,
        "subjectiveCode": service.subjective_code,
        "version": service.version,
        "createdAt": service.created_at,
        "updatedAt": service.updated_at,
    })
}

/// How far a service is set up and offered, with the offers' counts.
pub fn stage_json(components: u32, windows: u32, offers: OfferCounts) -> Value {
    let stage = ServiceStage::of(components, windows, offers);
    json!({ "stage": {"code": stage, "label": stage.label()}, "offers": offers })
}

/// A line of the Services list: the commissioner's own service with how far it
/// is set up, or another's shared with it; each with this commissioner's offers.
pub fn service_summary_json(summary: &ServiceSummary) -> Value {
    let offers = summary.offer_counts();
    let mut view = json!({
        "id": summary.id,
        "commissioner": summary.commissioner,
        "name": summary.name,
        "financialYear": summary.financial_year,
        "claimPeriods": summary.claim_periods,
        "shared": summary.is_shared(),
        "offers": offers,
    });
    if !summary.is_shared() {
        view["componentCount"] = json!(summary.component_count);
        view["windowCount"] = json!(summary.window_count);
        view["stage"] = stage_json(summary.component_count, summary.window_count, offers)["stage"].clone();
    }
    view
}

/// One version; a provider sees its own price and no one else's.
pub fn version_json(version: &ComponentVersion, viewer: &Viewer) -> Value {
    let definition = &version.definition;
    let (payment, tariffs) = match viewer {
        Viewer::Commissioner(_) => (definition.payment.clone(), json!(definition.tariffs)),
        Viewer::Provider(code) => (definition.payment_for(code), Value::Null),
    };
    let mut view = json!({
        "version": version.version,
        "effectiveFrom": version.effective_from,
        "name": definition.name,
        "description": definition.description,
        "payment": payment,
        "evidence": definition.evidence,
        "questions": definition.questions,
    });
    if !tariffs.is_null() {
        view["tariffs"] = tariffs;
    }
    view
}

/// A component as it stands on `today`, with any change still to come.
pub fn component_json(service_id: &str, component: &Component, today: Date, viewer: &Viewer) -> Value {
    let current = in_force(&component.versions, today).or(component.versions.first());
    let upcoming: Vec<Value> =
        component.versions.iter().filter(|v| v.effective_from > today).map(|v| version_json(v, viewer)).collect();
    json!({
        "id": component.id,
        "serviceId": service_id,
        "name": component.latest().map(|v| v.definition.name.clone()),
        "versionCount": component.versions.len(),
        "inForce": current.map(|v| version_json(v, viewer)),
        "upcoming": upcoming,
    })
}

pub fn offer_json(offer: &OfferRecord, service: Option<&ServiceRecord>) -> Value {
    json!({
        "id": offer_id(&offer.service_id, &offer.provider),
        "service": service.map(|s| json!({
            "id": s.id,
            "name": s.name,
            "financialYear": s.financial_year,
            "componentCount": s.component_count,
        })).unwrap_or_else(|| json!({"id": offer.service_id})),
        "provider": {"code": offer.provider, "name": offer.provider_name},
        "commissioner": offer.commissioner,
        "status": offer.status,
        "offeredAt": offer.offered_at,
        "answeredAt": offer.answered_at,
    })
}

fn window_times(window: &ClaimWindow) -> Value {
    json!({
        "period": window.period.key(),
        "label": window.period.label(),
        "firstDay": window.period.first_day,
        "lastDay": window.period.last_day,
        "opensAt": window.opens_at,
        "closesAt": window.closes_at,
        "opensAtLocal": uk_date_time(window.opens_at),
        "closesAtLocal": uk_date_time(window.closes_at),
    })
}

/// A window as its commissioner sees it: by the clock, and who missed it once closed.
pub fn window_json(record: &WindowRecord, now: impl Into<Timestamp>) -> Option<Value> {
    let now: Timestamp = now.into();
    let window = record.window()?;
    let mut view = window_times(&window);
    let state = match window.state(now, true) {
        WindowState::Upcoming => "upcoming",
        WindowState::Open => "open",
        _ => "closed",
    };
    view["state"] = json!(state);
    view["missed"] = json!(record.missed);
    view["closingRecorded"] = json!(record.progress == WindowProgress::Closed);
    Some(view)
}

/// A window as a provider sees it: missed once closed without its claim.
pub fn provider_window_json(
    service: &ServiceRecord,
    window: &ClaimWindow,
    now: impl Into<Timestamp>,
    claimed: bool,
) -> Value {
    let now: Timestamp = now.into();
    let mut view = window_times(window);
    view["service"] = json!({"id": service.id, "name": service.name});
    view["state"] = json!(window.state(now, claimed));
    view["claimed"] = json!(claimed);
    view
}
