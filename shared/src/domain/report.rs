//! Claims reporting: what each claim adds to its commissioner's running totals,
//! and how a report is made from those totals. A claim counts once it is
//! submitted (never as a draft), under its status, for each service and period
//! it claims, with the value of that service's lines; every status change
//! moves its counts from the old status to the new in the same transaction,
//! so a report reads a few hundred small totals, never every claim.
//!
//! Counts are of claims, values per service: each cell keeps how many claims
//! claim its service (`count`) and how many claims it carries once (`claims`:
//! a claim is carried by its first service and period only), so a report by
//! practice, period or status, or a total, counts a three-service claim once.

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

/// The service and period that carries the claim's own count: its earliest
/// period, then its first service there.
pub fn carrier(counted: &Counted) -> Option<&str> {
    counted
        .keys()
        .filter_map(|key| split_key(key).map(|(service, period)| ((period, service), key.as_str())))
        .min()
        .map(|(_, key)| key)
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

/// What one cell holds under one status: claims of its service (`count`),
/// claims it carries once (`claims`), and their value in pence.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub count: i64,
    pub claims: i64,
    pub pence: i64,
}

impl Tally {
    pub fn plus(self, other: Tally) -> Tally {
        Tally { count: self.count + other.count, claims: self.claims + other.claims, pence: self.pence + other.pence }
    }

    pub fn is_zero(self) -> bool {
        self == Tally::default()
    }
}

/// One change to one cell: `tally` added under `status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub status: ClaimStatus,
    pub tally: Tally,
}

/// The changes a move makes to the totals of one service and period: what it
/// counted before comes off the old status, what it counts now goes on the new.
/// `carried` says whether this service and period carried the claim's own
/// count before the move and after it ([`carrier`]).
pub fn changes(
    from: Option<ClaimStatus>, before: Option<Money>, to: ClaimStatus, after: Option<Money>, carried: (bool, bool),
) -> Vec<Change> {
    let mut found: Vec<Change> = Vec::new();
    if let (Some(status), Some(value)) = (from.filter(|s| counts(*s)), before) {
        let tally = Tally { count: -1, claims: -i64::from(carried.0), pence: -value.pence() };
        found.push(Change { status, tally });
    }
    if let (true, Some(value)) = (counts(to), after) {
        let tally = Tally { count: 1, claims: i64::from(carried.1), pence: value.pence() };
        match found.iter_mut().find(|c| c.status == to) {
            Some(same) => same.tally = same.tally.plus(tally),
            None => found.push(Change { status: to, tally }),
        }
    }
    found.retain(|c| !c.tally.is_zero());
    found
}

/// The running totals of one cell, by status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub by_status: BTreeMap<ClaimStatus, Tally>,
}

impl Totals {
    pub fn add(&mut self, status: ClaimStatus, tally: Tally) {
        let entry = self.by_status.entry(status).or_default();
        *entry = entry.plus(tally);
    }

    pub fn merge(&mut self, other: &Totals) {
        for (status, tally) in &other.by_status {
            self.add(*status, *tally);
        }
    }

    /// What the statuses `wanted` picks add up to.
    pub fn sum(&self, wanted: impl Fn(ClaimStatus) -> bool) -> Tally {
        self.by_status.iter().filter(|(status, _)| wanted(**status)).fold(Tally::default(), |sum, (_, t)| sum.plus(*t))
    }

    /// For totals about one service, where every claim is in one cell: its
    /// claims are the claims of the service.
    fn of_one_service(mut self) -> Totals {
        for tally in self.by_status.values_mut() {
            tally.claims = tally.count;
        }
        self
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

crate::edge::openapi::fields::described_as_words!(GroupBy => &["service", "period", "provider", "status"]);

impl GroupBy {
    pub fn parse(raw: &str) -> Result<GroupBy, String> {
        match raw {
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
        if filter.service.is_some() {
            totals = totals.of_one_service();
        }
        all.merge(&totals);
        match by {
            GroupBy::Status => {
                for (status, tally) in &totals.by_status {
                    rows.entry(status.code().to_string()).or_default().add(*status, *tally);
                }
            }
            GroupBy::Service => rows.entry(cell.service_id.clone()).or_default().merge(&totals.of_one_service()),
            GroupBy::Period => rows.entry(cell.period.clone()).or_default().merge(&totals),
            GroupBy::Provider => {
                let key = cell.provider.as_ref().map(|p| p.to_string()).unwrap_or_default();
                rows.entry(key).or_default().merge(&totals);
            }
        }
    }
    let rows = rows
        .into_iter()
        .filter(|(_, totals)| totals.by_status.values().any(|t| t.count != 0 || t.pence != 0))
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
    spend_of_budget(totals, budget.map(Money::pence))
}

/// Spend against plan for several services together (a report's total): their
/// budgets summed when each has one, else no budget and nothing left to say.
pub fn spend_together(totals: &Totals, budgets: &[Option<Money>]) -> Spend {
    let summed = budgets.iter().try_fold(0i64, |sum, budget| budget.map(|b| sum + b.pence()));
    spend_of_budget(totals, summed.filter(|_| !budgets.is_empty()))
}

fn spend_of_budget(totals: &Totals, budget: Option<i64>) -> Spend {
    let approved = totals.sum(|s| s == ClaimStatus::Approved).pence;
    let paid = totals.sum(|s| s == ClaimStatus::Paid).pence;
    let committed = totals.sum(committed).pence;
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

    fn tally(count: i64, claims: i64, pence: i64) -> Tally {
        Tally { count, claims, pence }
    }

    #[test]
    fn a_move_takes_the_claim_off_one_status_and_onto_the_next() {
        let carried = (true, true);
        assert_eq!(
            changes(
                Some(PendingTier1Review),
                Some(pounds_of("10.00")),
                PendingTier2Review,
                Some(pounds_of("10.00")),
                carried
            ),
            vec![
                Change { status: PendingTier1Review, tally: tally(-1, -1, -1000) },
                Change { status: PendingTier2Review, tally: tally(1, 1, 1000) }
            ]
        );
        assert_eq!(
            changes(Some(Draft), None, PendingTier1Review, Some(pounds_of("2.50")), (false, false)),
            vec![Change { status: PendingTier1Review, tally: tally(1, 0, 250) }],
            "a draft was never counted; a service that does not carry the claim counts it for itself only"
        );
        assert_eq!(
            changes(Some(Returned), Some(pounds_of("12.00")), Returned, Some(pounds_of("11.00")), carried),
            vec![Change { status: Returned, tally: tally(0, 0, -100) }]
        );
        assert!(changes(Some(Approved), Some(pounds_of("1")), Approved, Some(pounds_of("1")), carried).is_empty());
        assert_eq!(
            changes(Some(Returned), Some(pounds_of("5")), PendingTier1Review, None, (true, false)),
            vec![Change { status: Returned, tally: tally(-1, -1, -500) }],
            "a service taken out of the claim comes off"
        );
        assert_eq!(
            changes(Some(Returned), Some(pounds_of("5")), Returned, Some(pounds_of("5")), (false, true)),
            vec![Change { status: Returned, tally: tally(0, 1, 0) }],
            "the claim's own count moves to the service that carries it now"
        );
    }

    #[test]
    fn the_claim_is_carried_by_its_earliest_period_then_its_first_service() {
        let mut counted = Counted::new();
        assert_eq!(carrier(&counted), None);
        counted.insert(counted_key("b-service", "2026-27-Q1"), pounds_of("1"));
        counted.insert(counted_key("a-service", "2026-27-Q2"), pounds_of("1"));
        counted.insert(counted_key("c-service", "2026-27-Q1"), pounds_of("1"));
        assert_eq!(carrier(&counted), Some("b-service#2026-27-Q1"));
    }

    #[test]
    fn spend_against_plan_counts_approved_paid_and_committed() {
        let mut totals = Totals::default();
        totals.add(PendingTier1Review, tally(2, 2, 30_000));
        totals.add(PendingFinanceApproval, tally(1, 1, 1_500_000));
        totals.add(Approved, tally(3, 3, 100_000));
        totals.add(Paid, tally(1, 1, 50_000));
        totals.add(Rejected, tally(1, 1, 9_999));
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
    fn services_together_have_the_sum_of_their_budgets_only_when_each_has_one() {
        let mut totals = Totals::default();
        totals.add(ClaimStatus::Approved, tally(1, 1, 10_000));
        totals.add(ClaimStatus::Paid, tally(1, 1, 5_000));
        let both = spend_together(&totals, &[Some(pounds_of("300.00")), Some(pounds_of("200.00"))]);
        assert_eq!((both.budget, both.left), (Some(50_000), Some(35_000)));
        assert_eq!(both.approved + both.paid, 15_000);
        let one_without = spend_together(&totals, &[Some(pounds_of("300.00")), None]);
        assert_eq!((one_without.budget, one_without.left), (None, None));
        assert_eq!(spend_together(&totals, &[]).budget, None, "no services, no budget");
    }

    fn cell(service: &str, period: &str, provider: &str, status: ClaimStatus, t: Tally) -> Cell {
        let mut totals = Totals::default();
        totals.add(status, t);
        Cell {
            service_id: service.into(),
            period: period.into(),
            provider: OdsCode::parse(provider).ok(),
            totals,
            ..Cell::default()
        }
    }

    #[test]
    fn cells_group_into_rows_by_what_was_asked_and_the_filter_narrows_them() {
        let cells = vec![
            cell("care", "2026-27-Q1", "A81001", Approved, tally(2, 2, 1000)),
            cell("care", "2026-27-Q1", "A81001", Approved, tally(1, 1, 500)), // another shard
            cell("care", "2026-27-Q2", "A81001", PendingTier1Review, tally(1, 1, 300)),
            cell("ear", "2026-27-Q1", "A81001", Paid, tally(4, 4, 4000)),
            cell("ear", "2026-27-Q2", "A81001", Rejected, tally(0, 0, 0)),
        ];
        let (rows, all) = group(&cells, GroupBy::Service, &ReportFilter::default());
        let claims_and_value = |t: Tally| (t.claims, t.pence);
        assert_eq!(
            rows.iter().map(|r| (r.key.as_str(), claims_and_value(r.totals.sum(|_| true)))).collect::<Vec<_>>(),
            vec![("care", (4, 1800)), ("ear", (4, 4000))]
        );
        assert_eq!(claims_and_value(all.sum(|_| true)), (8, 5800));
        let (by_period, _) =
            group(&cells, GroupBy::Period, &ReportFilter { service: Some("care".into()), ..Default::default() });
        assert_eq!(by_period.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(), ["2026-27-Q1", "2026-27-Q2"]);
        let (by_status, all) =
            group(&cells, GroupBy::Status, &ReportFilter { status: Some(Approved), ..Default::default() });
        assert_eq!(by_status.len(), 1);
        assert_eq!(claims_and_value(all.sum(|_| true)), (3, 1500));
        assert_eq!(GroupBy::parse("provider"), Ok(GroupBy::Provider));
        assert!(GroupBy::parse("colour").is_err());
    }

    #[test]
    fn one_paid_claim_of_three_services_counts_once_by_practice_status_and_period_and_once_per_service() {
        // The claim carried by its first service; each service keeps its own value.
        let cells = vec![
            cell("care", "2026-27-Q1", "A81001", Paid, tally(1, 1, 232_104)),
            cell("depot", "2026-27-Q1", "A81001", Paid, tally(1, 0, 10_000)),
            cell("ear", "2026-27-Q1", "A81001", Paid, tally(1, 0, 25_000)),
        ];
        for by in [GroupBy::Provider, GroupBy::Status, GroupBy::Period] {
            let (rows, all) = group(&cells, by, &ReportFilter::default());
            assert_eq!(rows.len(), 1, "{by:?}");
            assert_eq!(rows[0].totals.sum(|_| true), tally(3, 1, 267_104), "{by:?}: one claim, every service's value");
            assert_eq!(all.sum(|_| true).claims, 1);
        }
        let (by_service, all) = group(&cells, GroupBy::Service, &ReportFilter::default());
        assert!(by_service.iter().all(|row| row.totals.sum(|_| true).claims == 1), "each service was claimed once");
        assert_eq!(all.sum(|_| true).claims, 1, "and the whole is one claim");
        let ear_only = ReportFilter { service: Some("ear".into()), ..Default::default() };
        let (rows, all) = group(&cells, GroupBy::Provider, &ear_only);
        assert_eq!((rows[0].totals.sum(|_| true).claims, all.sum(|_| true).pence), (1, 25_000));
    }

    #[test]
    fn a_claim_contributes_each_service_and_period_separately() {
        assert_eq!(year_of("2026-27-Q2"), "2026-27");
        assert_eq!(split_key(&counted_key("s1", "2026-27-Q2")), Some(("s1", "2026-27-Q2")));
        assert!(contribution(&[]).is_empty());
    }
}
