//! Claims reporting: what each claim adds to its commissioner's running totals,
//! and how a report is made from those totals. A claim counts once it is
//! submitted (never as a draft), under its status, for each service and period
//! it claims, with the value of that service's lines; every status change
//! moves its counts from the old status to the new in the same transaction,
//! so a report reads a few hundred small totals, never every claim.

use super::claim::ClaimStatus;
use super::claim_line::ClaimLine;
use super::money::Money;
use super::ods::OdsCode;
use std::collections::BTreeMap;

/// What a claim contributes, by "service#period": the value of its lines there.
pub type Counted = BTreeMap<String, Money>;

/// The key of a service and period in `Counted`.
pub fn counted_key(service_id: &str, period_key: &str) -> String {
    format!("{service_id}#{period_key}")
}

/// Splits a `Counted` key back into service and period.
pub fn split_key(key: &str) -> Option<(&str, &str)> {
    key.rsplit_once('#')
}

/// A claim's contribution from its lines.
pub fn contribution(lines: &[ClaimLine]) -> Counted {
    let mut counted = Counted::new();
    for line in lines {
        let value = counted.entry(counted_key(&line.service_id, &line.period_key)).or_insert(Money::ZERO);
        *value = value.plus(line.value());
    }
    counted
}

/// The financial year of a period key ("2026-27-Q2" → "2026-27").
pub fn year_of(period_key: &str) -> &str {
    period_key.get(..7).unwrap_or(period_key)
}

/// Whether claims in this status are in the totals at all.
pub fn counts(status: ClaimStatus) -> bool {
    status != ClaimStatus::Draft
}

/// Submitted and not yet decided: money the commissioner is committed to.
pub fn committed(status: ClaimStatus) -> bool {
    matches!(
        status,
        ClaimStatus::PendingProviderApproval
            | ClaimStatus::PendingSystemReview
            | ClaimStatus::PendingTier1Review
            | ClaimStatus::PendingTier2Review
            | ClaimStatus::PendingFinanceApproval
    )
}

/// One change to one total: `count` claims and `pence` added under `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub status: ClaimStatus,
    pub count: i64,
    pub pence: i64,
}

/// The changes a move makes to the totals of one service and period: what it
/// counted before comes off the old status, what it counts now goes on the new.
pub fn changes(from: Option<ClaimStatus>, before: Option<Money>, to: ClaimStatus, after: Option<Money>) -> Vec<Change> {
    let mut found = Vec::new();
    if let (Some(status), Some(value)) = (from.filter(|s| counts(*s)), before) {
        found.push(Change { status, count: -1, pence: -value.pence() });
    }
    if let (true, Some(value)) = (counts(to), after) {
        match found.iter_mut().find(|c| c.status == to) {
            Some(same) => {
                same.count += 1;
                same.pence += value.pence();
            }
            None => found.push(Change { status: to, count: 1, pence: value.pence() }),
        }
    }
    found.retain(|c| c.count != 0 || c.pence != 0);
    found
}

/// The running totals of one cell, by status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub by_status: BTreeMap<ClaimStatus, (i64, i64)>,
}

impl Totals {
    pub fn add(&mut self, status: ClaimStatus, count: i64, pence: i64) {
        let entry = self.by_status.entry(status).or_insert((0, 0));
        entry.0 += count;
        entry.1 += pence;
    }

    pub fn merge(&mut self, other: &Totals) {
        for (status, (count, pence)) in &other.by_status {
            self.add(*status, *count, *pence);
        }
    }

    /// Claims and pence in the statuses `wanted` picks.
    pub fn sum(&self, wanted: impl Fn(ClaimStatus) -> bool) -> (i64, i64) {
        self.by_status
            .iter()
            .filter(|(status, _)| wanted(**status))
            .fold((0, 0), |(c, p), (_, (count, pence))| (c + count, p + pence))
    }
}

/// One cell of totals as read back: what it is about, and its totals.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub service_id: String,
    pub period: String,
    pub provider: Option<OdsCode>,
    pub provider_name: Option<String>,
    pub totals: Totals,
}

/// What a report's rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    Service,
    Period,
    Provider,
    Status,
}

impl GroupBy {
    pub fn parse(raw: &str) -> Result<GroupBy, String> {
        match raw.trim() {
            "service" => Ok(GroupBy::Service),
            "period" => Ok(GroupBy::Period),
            "provider" => Ok(GroupBy::Provider),
            "status" => Ok(GroupBy::Status),
            _ => Err("Group by service, period, provider or status".into()),
        }
    }
}

/// What a report is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct ReportFilter {
    pub service: Option<String>,
    pub period: Option<String>,
    pub status: Option<ClaimStatus>,
}

/// One row of a report: its key, and the totals of the cells grouped under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub key: String,
    pub totals: Totals,
}

/// Groups the cells a report reads into its rows (in key order), keeping only
/// what the filter asks for; the last value is the report's grand total.
pub fn group(cells: &[Cell], by: GroupBy, filter: &ReportFilter) -> (Vec<Row>, Totals) {
    let mut rows: BTreeMap<String, Totals> = BTreeMap::new();
    let mut all = Totals::default();
    for cell in cells {
        if filter.service.as_deref().is_some_and(|s| s != cell.service_id)
            || filter.period.as_deref().is_some_and(|p| p != cell.period && by != GroupBy::Provider)
        {
            continue;
        }
        let mut totals = cell.totals.clone();
        if let Some(status) = filter.status {
            totals.by_status.retain(|s, _| *s == status);
        }
        all.merge(&totals);
        match by {
            GroupBy::Status => {
                for (status, (count, pence)) in &totals.by_status {
                    rows.entry(status.code().to_string()).or_default().add(*status, *count, *pence);
                }
            }
            _ => {
                let key = match by {
                    GroupBy::Service => cell.service_id.clone(),
                    GroupBy::Period => cell.period.clone(),
                    _ => cell.provider.as_ref().map(|p| p.to_string()).unwrap_or_default(),
                };
                rows.entry(key).or_default().merge(&totals);
            }
        }
    }
    let rows = rows
        .into_iter()
        .filter(|(_, totals)| totals.by_status.values().any(|(c, p)| *c != 0 || *p != 0))
        .map(|(key, totals)| Row { key, totals })
        .collect();
    (rows, all)
}

/// Spend against plan for one service: what is approved, paid and committed,
/// and what is left of its budget (negative when overspent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spend {
    pub budget: Option<i64>,
    pub approved: i64,
    pub paid: i64,
    pub committed: i64,
    pub left: Option<i64>,
}

pub fn spend(totals: &Totals, budget: Option<Money>) -> Spend {
    let approved = totals.sum(|s| s == ClaimStatus::Approved).1;
    let paid = totals.sum(|s| s == ClaimStatus::Paid).1;
    let committed = totals.sum(committed).1;
    let budget = budget.map(Money::pence);
    Spend { budget, approved, paid, committed, left: budget.map(|b| b - approved - paid - committed) }
}

/// Pence as money text ("2321.04", "-5.00"), for reports and CSV.
pub fn pounds(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let pence = pence.unsigned_abs();
    format!("{sign}{}.{:02}", pence / 100, pence % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ClaimStatus::*;

    fn pounds_of(raw: &str) -> Money {
        Money::parse(raw).unwrap()
    }

    #[test]
    fn a_move_takes_the_claim_off_one_status_and_onto_the_next() {
        assert_eq!(
            changes(Some(PendingTier1Review), Some(pounds_of("10.00")), PendingTier2Review, Some(pounds_of("10.00"))),
            vec![
                Change { status: PendingTier1Review, count: -1, pence: -1000 },
                Change { status: PendingTier2Review, count: 1, pence: 1000 }
            ]
        );
        assert_eq!(
            changes(Some(Draft), None, PendingTier1Review, Some(pounds_of("2.50"))),
            vec![Change { status: PendingTier1Review, count: 1, pence: 250 }],
            "a draft was never counted"
        );
        assert_eq!(
            changes(Some(Returned), Some(pounds_of("12.00")), Returned, Some(pounds_of("11.00"))),
            vec![Change { status: Returned, count: 0, pence: -100 }]
        );
        assert!(changes(Some(Approved), Some(pounds_of("1")), Approved, Some(pounds_of("1"))).is_empty());
        assert_eq!(
            changes(Some(Returned), Some(pounds_of("5")), PendingTier1Review, None),
            vec![Change { status: Returned, count: -1, pence: -500 }],
            "a service taken out of the claim comes off"
        );
    }

    #[test]
    fn spend_against_plan_counts_approved_paid_and_committed() {
        let mut totals = Totals::default();
        totals.add(PendingTier1Review, 2, 30_000);
        totals.add(PendingFinanceApproval, 1, 1_500_000);
        totals.add(Approved, 3, 100_000);
        totals.add(Paid, 1, 50_000);
        totals.add(Rejected, 1, 9_999);
        let found = spend(&totals, Some(pounds_of("20000.00")));
        assert_eq!(
            found,
            Spend {
                budget: Some(2_000_000),
                approved: 100_000,
                paid: 50_000,
                committed: 1_530_000,
                left: Some(320_000)
            }
        );
        assert_eq!(spend(&totals, None).left, None);
        assert_eq!(pounds(-1), "-0.01");
        assert_eq!(pounds(232_104), "2321.04");
    }

    #[test]
    fn cells_group_into_rows_by_what_was_asked_and_the_filter_narrows_them() {
        let cell = |service: &str, period: &str, status: ClaimStatus, count: i64, pence: i64| {
            let mut totals = Totals::default();
            totals.add(status, count, pence);
            Cell { service_id: service.into(), period: period.into(), totals, ..Cell::default() }
        };
        let cells = vec![
            cell("care", "2026-27-Q1", Approved, 2, 1000),
            cell("care", "2026-27-Q1", Approved, 1, 500), // another shard
            cell("care", "2026-27-Q2", PendingTier1Review, 1, 300),
            cell("ear", "2026-27-Q1", Paid, 4, 4000),
            cell("ear", "2026-27-Q2", Rejected, 0, 0),
        ];
        let (rows, all) = group(&cells, GroupBy::Service, &ReportFilter::default());
        assert_eq!(
            rows.iter().map(|r| (r.key.as_str(), r.totals.sum(|_| true))).collect::<Vec<_>>(),
            vec![("care", (4, 1800)), ("ear", (4, 4000))]
        );
        assert_eq!(all.sum(|_| true), (8, 5800));
        let (by_period, _) =
            group(&cells, GroupBy::Period, &ReportFilter { service: Some("care".into()), ..Default::default() });
        assert_eq!(by_period.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(), ["2026-27-Q1", "2026-27-Q2"]);
        let (by_status, all) =
            group(&cells, GroupBy::Status, &ReportFilter { status: Some(Approved), ..Default::default() });
        assert_eq!(by_status.len(), 1);
        assert_eq!(all.sum(|_| true), (3, 1500));
        assert_eq!(GroupBy::parse("provider"), Ok(GroupBy::Provider));
        assert!(GroupBy::parse("colour").is_err());
    }

    #[test]
    fn a_claim_contributes_each_service_and_period_separately() {
        assert_eq!(year_of("2026-27-Q2"), "2026-27");
        assert_eq!(split_key(&counted_key("s1", "2026-27-Q2")), Some(("s1", "2026-27-Q2")));
        assert!(contribution(&[]).is_empty());
    }
}
