//! What the payment run and remittance routes answer, each a type. Money is
//! text ("2321.04") beside its display form.

use super::claims::{money, MoneyView};
use super::party::Party;
use crate::domain::financial_year::period_label_of;
use crate::domain::payment_run::{RunLine, RunStatus};
use crate::domain::timestamp::Timestamp;
use crate::store::claims::ClaimService;
use crate::store::payments::{PaymentRunRecord, RemittanceRecord, RunClaimRecord};
use jiff::civil::Date;
use serde::Serialize;

/// A run's status: its code and its name.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RunStatusView {
    pub code: RunStatus,
    pub label: &'static str,
}

/// A practice's part of a run.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RunProviderView<'a> {
    pub code: &'a crate::domain::ods::OdsCode,
    pub name: &'a str,
    pub claims: u64,
    pub total: MoneyView,
}

/// A payment run: when it pays, how much, to whom, and how far it has gone.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PaymentRunView<'a> {
    pub id: &'a str,
    pub commissioner: Party<'a>,
    #[schema(value_type = String, format = Date)]
    pub payment_date: Date,
    pub status: RunStatusView,
    pub claims: u64,
    pub lines: u64,
    pub total: MoneyView,
    pub providers: Vec<RunProviderView<'a>>,
    pub created_at: &'a Timestamp,
    pub confirmed_at: Option<&'a Timestamp>,
    pub version: u64,
}

impl<'a> PaymentRunView<'a> {
    pub fn of(run: &'a PaymentRunRecord) -> Self {
        PaymentRunView {
            id: &run.id,
            commissioner: Party::new(&run.commissioner, &run.commissioner_name),
            payment_date: run.payment_date,
            status: RunStatusView { code: run.status, label: run.status.label() },
            claims: run.claims,
            lines: run.lines,
            total: money(run.total),
            providers: run
                .providers
                .iter()
                .map(|p| RunProviderView { code: &p.provider, name: &p.name, claims: p.claims, total: money(p.total) })
                .collect(),
            created_at: &run.created_at,
            confirmed_at: run.confirmed_at.as_ref(),
            version: run.version,
        }
    }
}

/// A line of a claim in a run, as paid.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RunLineView<'a> {
    pub service_id: &'a str,
    pub component: &'a str,
    pub period: &'a str,
    pub period_label: String,
    pub units: Option<u32>,
    pub unit_price: Option<MoneyView>,
    pub value: MoneyView,
}

impl<'a> From<&'a RunLine> for RunLineView<'a> {
    fn from(line: &'a RunLine) -> Self {
        RunLineView {
            service_id: &line.service_id,
            component: &line.component,
            period: &line.period,
            period_label: period_label_of(&line.period),
            units: line.units,
            unit_price: line.unit_price.map(money),
            value: money(line.value),
        }
    }
}

/// A claim in a run: whose, its lines, its total, and whether it is paid.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct RunClaimView<'a> {
    pub id: u64,
    pub provider: Party<'a>,
    pub services: &'a [ClaimService],
    pub total: MoneyView,
    pub paid: bool,
    pub lines: Vec<RunLineView<'a>>,
}

impl<'a> RunClaimView<'a> {
    pub fn of(claim: &'a RunClaimRecord) -> Self {
        RunClaimView {
            id: claim.id,
            provider: Party::new(&claim.provider, &claim.provider_name),
            services: &claim.services,
            total: money(claim.total),
            paid: claim.paid,
            lines: claim.lines.iter().map(RunLineView::from).collect(),
        }
    }
}

/// A remittance as the practice's list shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RemittanceLine<'a> {
    pub run_id: &'a str,
    pub commissioner: Party<'a>,
    #[schema(value_type = String, format = Date)]
    pub payment_date: Date,
    pub claims: u64,
    pub total: MoneyView,
}

impl<'a> RemittanceLine<'a> {
    pub fn of(remittance: &'a RemittanceRecord) -> Self {
        RemittanceLine {
            run_id: &remittance.run_id,
            commissioner: Party::new(&remittance.commissioner, &remittance.commissioner_name),
            payment_date: remittance.payment_date,
            claims: remittance.claims,
            total: money(remittance.total),
        }
    }
}

/// A remittance: what one run paid one practice, claim by claim.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RemittanceView<'a> {
    pub run_id: &'a str,
    pub provider: Party<'a>,
    pub commissioner: Party<'a>,
    #[schema(value_type = String, format = Date)]
    pub payment_date: Date,
    pub claims: Vec<RunClaimView<'a>>,
    pub total: MoneyView,
}

impl<'a> RemittanceView<'a> {
    pub fn of(remittance: &'a RemittanceRecord, claims: &'a [RunClaimRecord]) -> Self {
        RemittanceView {
            run_id: &remittance.run_id,
            provider: Party::new(&remittance.provider, &remittance.provider_name),
            commissioner: Party::new(&remittance.commissioner, &remittance.commissioner_name),
            payment_date: remittance.payment_date,
            claims: claims.iter().map(RunClaimView::of).collect(),
            total: money(remittance.total),
        }
    }
}

/// A run and one page of its claims.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RunWithClaims<'a> {
    #[serde(flatten)]
    pub run: PaymentRunView<'a>,
    pub items: Vec<RunClaimView<'a>>,
    pub next_cursor: Option<&'a str>,
}
