//! What a bulk claim upload answers: how many claims it made, and row by row
//! what became of each practice in the file.

use super::catalogue::ServiceName;
use crate::domain::bulk_claim::{CellProblem, RowCheck};
use crate::domain::financial_year::Period;
use crate::domain::ods::OdsCode;
use serde::Serialize;
use std::collections::HashMap;

/// What became of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = BulkRowOutcome)]
pub enum RowOutcome {
    Created,
    AlreadyClaimed,
    Skipped,
    Invalid,
}

/// A cell the row was refused for, by its column's heading.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CellProblemView<'a> {
    pub column: &'a str,
    pub detail: &'a str,
}

/// One row of the file: its practice, what became of it, and why.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RowReport<'a> {
    pub row: usize,
    pub provider: &'a str,
    pub outcome: RowOutcome,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim_id: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<CellProblemView<'a>>>,
}

impl<'a> RowReport<'a> {
    /// `entered`: the claim each ready row made, by row number (`None`: the
    /// practice was claimed for the period at the same moment).
    pub fn of(number: usize, check: &'a RowCheck, entered: &HashMap<usize, Option<u64>>) -> Self {
        let report = |provider: &'a str, outcome| RowReport {
            row: number,
            provider,
            outcome,
            claim_id: None,
            detail: None,
            problems: None,
        };
        match check {
            RowCheck::Ready { provider, .. } => match entered.get(&number).copied().flatten() {
                Some(id) => RowReport { claim_id: Some(id), ..report(provider.as_str(), RowOutcome::Created) },
                None => RowReport {
                    detail: Some(format!("{provider} was claimed for this period at the same moment")),
                    ..report(provider.as_str(), RowOutcome::AlreadyClaimed)
                },
            },
            RowCheck::AlreadyClaimed { provider, claim_id } => RowReport {
                claim_id: claim_id.parse().ok(),
                detail: Some(format!("{provider} already has claim {claim_id} for this service and period")),
                ..report(provider.as_str(), RowOutcome::AlreadyClaimed)
            },
            RowCheck::Skipped { provider } => RowReport {
                detail: Some("No units entered: nothing claimed".into()),
                ..report(provider, RowOutcome::Skipped)
            },
            RowCheck::Invalid { provider, problems } => RowReport {
                problems: Some(problems.iter().map(cell_problem).collect()),
                ..report(provider, RowOutcome::Invalid)
            },
        }
    }
}

fn cell_problem(problem: &CellProblem) -> CellProblemView<'_> {
    CellProblemView { column: &problem.column, detail: &problem.detail }
}

/// A period as the upload names it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PeriodView {
    pub key: String,
    pub label: String,
}

/// The whole upload: what it was for, the count of each outcome, and every row.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkUploaded<'a> {
    pub service: ServiceName<'a>,
    pub period: PeriodView,
    pub commissioner: &'a OdsCode,
    pub created: usize,
    pub already_claimed: usize,
    pub invalid: usize,
    pub skipped: usize,
    pub rows: Vec<RowReport<'a>>,
}

impl<'a> BulkUploaded<'a> {
    pub fn of(service: ServiceName<'a>, period: &Period, commissioner: &'a OdsCode, rows: Vec<RowReport<'a>>) -> Self {
        let count = |outcome| rows.iter().filter(|r| r.outcome == outcome).count();
        BulkUploaded {
            service,
            period: PeriodView { key: period.key(), label: period.label() },
            commissioner,
            created: count(RowOutcome::Created),
            already_claimed: count(RowOutcome::AlreadyClaimed),
            invalid: count(RowOutcome::Invalid),
            skipped: count(RowOutcome::Skipped),
            rows,
        }
    }
}
