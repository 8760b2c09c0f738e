//! What the catalogue routes return, each a type. Money is text ("193.42") so
//! no float ever touches it; instants are UTC with the time in England beside them.

use super::party::Party;
use crate::domain::claim_window::{ClaimWindow, WindowState};
use crate::domain::component::{EvidenceRequirement, Payment, Question};
use crate::domain::component_form::Tariff;
use crate::domain::component_version::{in_force, ComponentVersion};
use crate::domain::financial_year::{FinancialYear, PeriodKind};
use crate::domain::money::Money;
use crate::domain::ods::OdsCode;
use crate::domain::offer::offer_id;
use crate::domain::offer::{OfferCounts, OfferStatus};
use crate::domain::service::{ServiceStage, VatCode, Viewer};
use crate::domain::timestamp::Timestamp;
use crate::domain::uk_time::uk_date_time;
use crate::store::catalogue::{ServiceRecord, ServiceSummary};
use crate::store::components::Component;
use crate::store::offers::OfferRecord;
use crate::store::windows::{WindowProgress, WindowRecord};
use jiff::civil::Date;
use serde::Serialize;

/// A service as its commissioners and the providers it was offered to see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceView<'a> {
    pub id: &'a str,
    pub commissioner: &'a OdsCode,
    pub name: &'a str,
    pub description: &'a str,
    pub financial_year: &'a FinancialYear,
    pub claim_periods: &'a PeriodKind,
    /// The commissioners it is shared with; null for a provider (not its business).
    pub shared_with: Option<&'a [OdsCode]>,
    pub component_count: u32,
    pub window_count: u32,
    pub budget: Option<Money>,
    pub vat_code: &'a VatCode,
    pub cost_centre: Option<&'a str>,
    pub subjective_code: Option<&'a str>,
    pub version: u64,
    pub created_at: &'a Timestamp,
    pub updated_at: &'a Timestamp,
}

impl<'a> ServiceView<'a> {
    pub fn of(service: &'a ServiceRecord) -> Self {
        ServiceView {
            id: &service.id,
            commissioner: &service.commissioner,
            name: &service.name,
            description: &service.description,
            financial_year: &service.financial_year,
            claim_periods: &service.claim_periods,
            shared_with: Some(&service.shared_with),
            component_count: service.component_count,
            window_count: service.window_count,
            budget: service.budget,
            vat_code: &service.vat_code,
            cost_centre: service.cost_centre.as_deref(),
            subjective_code: service.subjective_code.as_deref(),
            version: service.version,
            created_at: &service.created_at,
            updated_at: &service.updated_at,
        }
    }

    /// As a provider sees it: who else it is shared with is not said.
    pub fn for_provider(self) -> Self {
        ServiceView { shared_with: None, ..self }
    }
}

/// How far a service is set up and offered.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StageView {
    pub code: ServiceStage,
    pub label: &'static str,
}

impl StageView {
    pub fn of(components: u32, windows: u32, offers: OfferCounts) -> Self {
        let stage = ServiceStage::of(components, windows, offers);
        StageView { code: stage, label: stage.label() }
    }
}

/// A service and the whole of its set-up, as one of its commissioners opens it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ServiceSetUp<'a> {
    #[serde(flatten)]
    pub service: ServiceView<'a>,
    pub stage: StageView,
    /// This commissioner's offers, by state.
    pub offers: OfferCounts,
    /// Whether the caller administers it (may change it).
    pub administrator: bool,
    pub components: Vec<ComponentView<'a>>,
    pub windows: Vec<WindowView<'a>>,
}

/// A line of the Services list: the commissioner's own service with how far it
/// is set up, or another's shared with it; each with this commissioner's offers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceLine<'a> {
    pub id: &'a str,
    pub commissioner: &'a OdsCode,
    pub name: &'a str,
    pub financial_year: &'a FinancialYear,
    pub claim_periods: &'a PeriodKind,
    pub shared: bool,
    pub offers: OfferCounts,
    /// Its set-up, for its own commissioner only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component_count: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_count: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<StageView>,
}

impl<'a> ServiceLine<'a> {
    pub fn of(summary: &'a ServiceSummary) -> Self {
        let offers = summary.offer_counts();
        let own = !summary.is_shared();
        ServiceLine {
            id: &summary.id,
            commissioner: &summary.commissioner,
            name: &summary.name,
            financial_year: &summary.financial_year,
            claim_periods: &summary.claim_periods,
            shared: !own,
            offers,
            component_count: own.then_some(summary.component_count),
            window_count: own.then_some(summary.window_count),
            stage: own.then(|| StageView::of(summary.component_count, summary.window_count, offers)),
        }
    }
}

/// One version of a component; a provider sees its own price and no one else's.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VersionView<'a> {
    pub version: u32,
    #[schema(value_type = String, format = Date)]
    pub effective_from: Date,
    pub name: &'a str,
    pub description: &'a str,
    pub payment: Payment,
    pub evidence: Option<&'a EvidenceRequirement>,
    pub questions: &'a [Question],
    /// Each practice's own price: for the commissioner only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tariffs: Option<&'a [Tariff]>,
}

impl<'a> VersionView<'a> {
    pub fn of(version: &'a ComponentVersion, viewer: &Viewer) -> Self {
        let definition = &version.definition;
        let (payment, tariffs) = match viewer {
            Viewer::Commissioner(_) => (definition.payment.clone(), Some(definition.tariffs.as_slice())),
            Viewer::Provider(code) => (definition.payment_for(code), None),
        };
        VersionView {
            version: version.version,
            effective_from: version.effective_from,
            name: &definition.name,
            description: &definition.description,
            payment,
            evidence: definition.evidence.as_ref(),
            questions: &definition.questions,
            tariffs,
        }
    }
}

/// A component as it stands on a day, with any change still to come.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ComponentView<'a> {
    pub id: &'a str,
    pub service_id: &'a str,
    pub name: Option<&'a str>,
    pub version_count: usize,
    pub in_force: Option<VersionView<'a>>,
    pub upcoming: Vec<VersionView<'a>>,
}

impl<'a> ComponentView<'a> {
    pub fn of(service_id: &'a str, component: &'a Component, today: Date, viewer: &Viewer) -> Self {
        let current = in_force(&component.versions, today).or(component.versions.first());
        ComponentView {
            id: &component.id,
            service_id,
            name: component.latest().map(|v| v.definition.name.as_str()),
            version_count: component.versions.len(),
            in_force: current.map(|v| VersionView::of(v, viewer)),
            upcoming: component
                .versions
                .iter()
                .filter(|v| v.effective_from > today)
                .map(|v| VersionView::of(v, viewer))
                .collect(),
        }
    }
}

/// A component with every version it has had (its page).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ComponentHistory<'a> {
    #[serde(flatten)]
    pub component: ComponentView<'a>,
    pub versions: Vec<VersionView<'a>>,
}

impl<'a> ComponentHistory<'a> {
    pub fn of(service_id: &'a str, component: &'a Component, today: Date, viewer: &Viewer) -> Self {
        ComponentHistory {
            component: ComponentView::of(service_id, component, today, viewer),
            versions: component.versions.iter().map(|v| VersionView::of(v, viewer)).collect(),
        }
    }
}

/// A service as a list of its parts names it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ServiceName<'a> {
    pub id: &'a str,
    pub name: &'a str,
}

/// The service an offer is of: named, when it could be read.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfferedService<'a> {
    pub id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub financial_year: Option<&'a FinancialYear>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub component_count: Option<u32>,
}

/// An offer of a service to a practice, and how it was answered.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfferView<'a> {
    pub id: String,
    pub service: OfferedService<'a>,
    pub provider: Party<'a>,
    pub commissioner: &'a OdsCode,
    pub status: OfferStatus,
    pub offered_at: &'a Timestamp,
    pub answered_at: Option<&'a Timestamp>,
}

impl<'a> OfferView<'a> {
    pub fn of(offer: &'a OfferRecord, service: Option<&'a ServiceRecord>) -> Self {
        OfferView {
            id: offer_id(&offer.service_id, &offer.provider),
            service: match service {
                Some(s) => OfferedService {
                    id: &s.id,
                    name: Some(&s.name),
                    financial_year: Some(&s.financial_year),
                    component_count: Some(s.component_count),
                },
                None => {
                    OfferedService { id: &offer.service_id, name: None, financial_year: None, component_count: None }
                }
            },
            provider: Party::new(&offer.provider, &offer.provider_name),
            commissioner: &offer.commissioner,
            status: offer.status,
            offered_at: &offer.offered_at,
            answered_at: offer.answered_at.as_ref(),
        }
    }
}

/// A window's period and times, by the clock and in England.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WindowTimes {
    pub period: String,
    pub label: String,
    #[schema(value_type = String, format = Date)]
    pub first_day: Date,
    #[schema(value_type = String, format = Date)]
    pub last_day: Date,
    #[schema(value_type = String, format = DateTime)]
    pub opens_at: jiff::Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub closes_at: jiff::Timestamp,
    pub opens_at_local: String,
    pub closes_at_local: String,
}

impl WindowTimes {
    fn of(window: &ClaimWindow) -> Self {
        WindowTimes {
            period: window.period.key(),
            label: window.period.label(),
            first_day: window.period.first_day,
            last_day: window.period.last_day,
            opens_at: window.opens_at,
            closes_at: window.closes_at,
            opens_at_local: uk_date_time(window.opens_at),
            closes_at_local: uk_date_time(window.closes_at),
        }
    }
}

/// A window as its commissioner sees it: by the clock, and who missed it once closed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WindowView<'a> {
    #[serde(flatten)]
    pub times: WindowTimes,
    /// upcoming, open or closed.
    pub state: WindowState,
    /// The practices that missed it: for its commissioner only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missed: Option<&'a [OdsCode]>,
    pub closing_recorded: bool,
}

impl<'a> WindowView<'a> {
    pub fn of(record: &'a WindowRecord, now: impl Into<jiff::Timestamp>) -> Option<Self> {
        let window = record.window()?;
        let state = match window.state(now, true) {
            WindowState::Upcoming => WindowState::Upcoming,
            WindowState::Open => WindowState::Open,
            _ => WindowState::Closed,
        };
        Some(WindowView {
            times: WindowTimes::of(&window),
            state,
            missed: Some(&record.missed),
            closing_recorded: record.progress == WindowProgress::Closed,
        })
    }

    /// As a practice sees it: who missed it is not said.
    pub fn for_provider(self) -> Self {
        WindowView { missed: None, ..self }
    }
}

/// A window as a provider sees it: missed once closed without its claim.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProviderWindowView<'a> {
    #[serde(flatten)]
    pub times: WindowTimes,
    pub service: ServiceName<'a>,
    pub state: WindowState,
    pub claimed: bool,
}

impl<'a> ProviderWindowView<'a> {
    pub fn of(
        service: &'a ServiceRecord, window: &ClaimWindow, now: impl Into<jiff::Timestamp>, claimed: bool,
    ) -> Self {
        ProviderWindowView {
            times: WindowTimes::of(window),
            service: ServiceName { id: &service.id, name: &service.name },
            state: window.state(now, claimed),
            claimed,
        }
    }
}

/// A list of one service's parts (its components).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfService<'a, T: Serialize> {
    pub service: ServiceName<'a>,
    #[schema(inline)]
    pub items: Vec<T>,
}

/// The service whose claim windows are listed, and how it is claimed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WindowedService<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub claim_periods: &'a PeriodKind,
}

/// Where a practice stands in one window of a service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Claimed,
    /// It claims at any time: it has no windows to keep or miss.
    AnyTime,
    Upcoming,
    Open,
    Missed,
}

/// A practice that took the service up, and where it stands in each window (by period).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ProviderStanding<'a> {
    #[serde(flatten)]
    pub provider: Party<'a>,
    pub windows: std::collections::BTreeMap<&'a str, Standing>,
}

/// A service's claim windows; for a commissioner, also where each practice stands in them.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ServiceWindows<'a> {
    pub service: WindowedService<'a>,
    pub items: Vec<WindowView<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub providers: Option<Vec<ProviderStanding<'a>>>,
}

/// What Generate did: the windows it made, and the periods that had one already.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WindowsGenerated<'a> {
    pub created: Vec<WindowView<'a>>,
    pub skipped: Vec<String>,
}

/// The offers of one service, with how many are in each state.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OffersOf<'a> {
    pub service: ServiceName<'a>,
    pub counts: OfferCounts,
}

/// A service a practice took up, as its Services list shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AcceptedServiceView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub commissioner: &'a OdsCode,
    pub financial_year: &'a FinancialYear,
    pub claim_periods: &'a PeriodKind,
    pub component_count: u32,
    /// The offer it was taken up by.
    pub offer_id: String,
}

impl<'a> AcceptedServiceView<'a> {
    pub fn of(service: &'a ServiceRecord, provider: &OdsCode) -> Self {
        AcceptedServiceView {
            id: &service.id,
            name: &service.name,
            description: &service.description,
            commissioner: &service.commissioner,
            financial_year: &service.financial_year,
            claim_periods: &service.claim_periods,
            component_count: service.component_count,
            offer_id: offer_id(&service.id, provider),
        }
    }
}

/// What offering a service did for one practice.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfferResult<'a> {
    pub provider: &'a OdsCode,
    pub outcome: crate::domain::offer::OfferOutcome,
}

/// Offering a service to practices: what became of each, this commissioner's
/// offers by state now, and whether the practices were told.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OffersMade<'a> {
    pub service: &'a str,
    pub commissioner: &'a OdsCode,
    pub results: Vec<OfferResult<'a>>,
    pub counts: OfferCounts,
    pub notification: &'a str,
}

/// What a scheduled run over the claim windows did: when it ran, how many
/// windows were due, and what it did to them (one run's figures; a window is
/// changed once, however many runs overlap).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WindowsRun {
    pub at: Timestamp,
    pub due: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opened: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed: Option<usize>,
    /// Practices recorded as having missed a window closed now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub missed: Option<usize>,
}

/// What a reminder run did: the windows reminded of, and the emails queued.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RemindersRun {
    pub at: Timestamp,
    pub windows: usize,
    pub emails: usize,
}
