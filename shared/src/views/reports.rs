//! A claims report as its JSON answer and as a spreadsheet: each row's
//! claims and value by status, and by service, spend against plan.

use super::claims::StatusView;
use crate::domain::claim::ClaimStatus;
use crate::domain::ods::OdsCode;
use crate::domain::report::{pounds, ReportFilter, Row, Spend, Totals};
use crate::domain::spreadsheet::{Sheet, SheetError};
use serde::Serialize;

/// The claims and value at one status.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StatusTally {
    pub status: StatusView,
    pub claims: i64,
    pub value: String,
}

/// A service's spend against its plan: the budget, what is approved, paid
/// and committed, and what is left.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SpendView {
    pub budget: Option<String>,
    pub approved: String,
    pub paid: String,
    pub committed: String,
    pub left: Option<String>,
}

impl From<Spend> for SpendView {
    fn from(spend: Spend) -> Self {
        SpendView {
            budget: spend.budget.map(pounds),
            approved: pounds(spend.approved),
            paid: pounds(spend.paid),
            committed: pounds(spend.committed),
            left: spend.left.map(pounds),
        }
    }
}

/// One row of a report, or its total: its claims and value, by status, and,
/// by service, spend against plan.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportRow<'a> {
    pub key: &'a str,
    pub label: String,
    pub claims: i64,
    pub value: String,
    pub by_status: Vec<StatusTally>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spend: Option<SpendView>,
}

impl<'a> ReportRow<'a> {
    pub fn of(key: &'a str, label: String, totals: &Totals, spend: Option<Spend>) -> Self {
        let sum = totals.sum(|_| true);
        let by_status = totals
            .by_status
            .iter()
            .filter(|(_, tally)| tally.count != 0 || tally.pence != 0)
            .map(|(status, tally)| StatusTally {
                status: (*status).into(),
                claims: tally.claims,
                value: pounds(tally.pence),
            })
            .collect();
        ReportRow { key, label, claims: sum.claims, value: pounds(sum.pence), by_status, spend: spend.map(Into::into) }
    }
}

/// Which claims a report counts.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FilterView<'a> {
    pub service: Option<&'a str>,
    pub period: Option<&'a str>,
    pub status: Option<ClaimStatus>,
}

impl<'a> From<&'a ReportFilter> for FilterView<'a> {
    fn from(filter: &'a ReportFilter) -> Self {
        FilterView { service: filter.service.as_deref(), period: filter.period.as_deref(), status: filter.status }
    }
}

/// A commissioner's claims report for a year, grouped as asked.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClaimsReport<'a> {
    pub commissioner: &'a OdsCode,
    pub year: String,
    pub group_by: String,
    pub filter: FilterView<'a>,
    pub rows: Vec<ReportRow<'a>>,
    pub total: ReportRow<'a>,
}

/// The report as a file to save: a line a row, then the total.
pub fn report_sheet(
    rows: &[Row], (total, total_spend): (&Totals, Option<Spend>), label: &dyn Fn(&Row) -> String,
    spend_of: &dyn Fn(&Row) -> Option<Spend>,
) -> Result<Sheet, SheetError> {
    let mut heading = vec!["Group", "Key", "Claims", "Value"];
    if total_spend.is_some() {
        heading.extend(["Budget", "Approved", "Paid", "Committed", "Left"]);
    }
    let mut sheet = Sheet::with_heading(heading)?;
    let record = |group: String, key: String, totals: &Totals, spend: Option<Spend>| {
        let sum = totals.sum(|_| true);
        let mut record = vec![group, key, sum.claims.to_string(), pounds(sum.pence)];
        if let Some(spend) = spend {
            record.extend([
                spend.budget.map(pounds).unwrap_or_default(),
                pounds(spend.approved),
                pounds(spend.paid),
                pounds(spend.committed),
                spend.left.map(pounds).unwrap_or_default(),
            ]);
        }
        record
    };
    for row in rows {
        sheet.row(record(label(row), row.key.clone(), &row.totals, spend_of(row)))?;
    }
    sheet.row(record("Total".into(), String::new(), total, total_spend))?;
    Ok(sheet)
}
