//! Claim windows: when a period's claims may be made. Commissioners set UK
//! local dates and times; they are kept as UTC instants, correct across the
//! clock changes (jiff with the Europe/London rules).

use super::financial_year::Period;
use jiff::civil::{Date, Time};
use jiff::Timestamp;

/// The UTC instant of a UK wall-clock time. In the autumn hour that happens
/// twice the first (BST) one is taken; in the spring hour that never happens,
/// the time after the gap.
pub fn uk_instant(day: Date, time: Time) -> Result<Timestamp, String> {
    day.to_datetime(time)
        .in_tz("Europe/London")
        .map(|zoned| zoned.timestamp())
        .map_err(|e| format!("That date and time cannot be used: {e}"))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimWindow {
    pub period_key: String,
    pub opens_at: Timestamp,
    pub closes_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowState {
    Upcoming,
    Open,
    Closed,
    /// Closed with no claim made for it.
    Missed,
}

impl ClaimWindow {
    pub fn new(period: &Period, opens_at: Timestamp, closes_at: Timestamp) -> Result<Self, String> {
        if closes_at <= opens_at {
            return Err("The window must close after it opens".to_string());
        }
        Ok(Self { period_key: period.key(), opens_at, closes_at })
    }

    /// The usual window: opens the day after the period ends, closes 23:59 two weeks later.
    pub fn after(period: &Period) -> Result<Self, String> {
        let opens = period.last_day.tomorrow().map_err(|e| e.to_string())?;
        let closes = opens.checked_add(jiff::Span::new().days(13)).map_err(|e| e.to_string())?;
        Self::new(period, uk_instant(opens, Time::midnight())?, uk_instant(closes, jiff::civil::time(23, 59, 0, 0))?)
    }

    pub fn state(&self, now: Timestamp, claimed: bool) -> WindowState {
        if now < self.opens_at {
            WindowState::Upcoming
        } else if now < self.closes_at {
            WindowState::Open
        } else if claimed {
            WindowState::Closed
        } else {
            WindowState::Missed
        }
    }

    pub fn overlaps(&self, other: &ClaimWindow) -> bool {
        self.opens_at < other.closes_at && other.opens_at < self.closes_at
    }
}

/// Windows of one service must not overlap: a claim belongs to one period.
pub fn find_overlap(windows: &[ClaimWindow]) -> Option<(&ClaimWindow, &ClaimWindow)> {
    windows
        .iter()
        .enumerate()
        .flat_map(|(i, a)| windows[i + 1..].iter().map(move |b| (a, b)))
        .find(|(a, b)| a.overlaps(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::financial_year::{FinancialYear, PeriodKind};
    use jiff::civil::{date, time};

    fn q(n: usize) -> Period {
        FinancialYear::parse("2026/27").unwrap().periods(PeriodKind::Quarterly)[n]
    }

    #[test]
    fn closing_at_23_59_on_the_last_sunday_of_october_is_gmt() {
        // 25 October 2026: clocks went back at 02:00 BST, so 23:59 is GMT.
        assert_eq!(uk_instant(date(2026, 10, 25), time(23, 59, 0, 0)).unwrap().to_string(), "2026-10-25T23:59:00Z");
        // The day before is still BST.
        assert_eq!(uk_instant(date(2026, 10, 24), time(23, 59, 0, 0)).unwrap().to_string(), "2026-10-24T22:59:00Z");
        // 28 March 2027: clocks go forward, 23:59 is BST.
        assert_eq!(uk_instant(date(2027, 3, 28), time(23, 59, 0, 0)).unwrap().to_string(), "2027-03-28T22:59:00Z");
    }

    #[test]
    fn the_repeated_and_the_missing_hour() {
        // 01:30 happens twice on 25 Oct 2026: the first (BST) is taken.
        assert_eq!(uk_instant(date(2026, 10, 25), time(1, 30, 0, 0)).unwrap().to_string(), "2026-10-25T00:30:00Z");
        // 01:30 never happens on 28 Mar 2027: the time after the gap.
        assert_eq!(uk_instant(date(2027, 3, 28), time(1, 30, 0, 0)).unwrap().to_string(), "2027-03-28T01:30:00Z");
    }

    #[test]
    fn a_window_must_close_after_it_opens_and_not_overlap() {
        let open = uk_instant(date(2026, 7, 1), Time::midnight()).unwrap();
        assert!(ClaimWindow::new(&q(0), open, open).is_err());
        let q1 = ClaimWindow::after(&q(0)).unwrap();
        assert_eq!(q1.opens_at.to_string(), "2026-06-30T23:00:00Z");
        assert_eq!(q1.closes_at.to_string(), "2026-07-14T22:59:00Z");
        let q2 = ClaimWindow::after(&q(1)).unwrap();
        assert!(find_overlap(&[q1.clone(), q2.clone()]).is_none());
        let clash = ClaimWindow::new(&q(1), q1.opens_at, q1.closes_at).unwrap();
        assert!(find_overlap(&[q1, q2, clash]).is_some());
    }

    #[test]
    fn states_follow_the_clock_and_the_claim() {
        let w = ClaimWindow::after(&q(0)).unwrap();
        let before: Timestamp = "2026-06-01T00:00:00Z".parse().unwrap();
        let during: Timestamp = "2026-07-05T00:00:00Z".parse().unwrap();
        let after: Timestamp = "2026-08-01T00:00:00Z".parse().unwrap();
        assert_eq!(w.state(before, false), WindowState::Upcoming);
        assert_eq!(w.state(during, false), WindowState::Open);
        assert_eq!(w.state(after, true), WindowState::Closed);
        assert_eq!(w.state(after, false), WindowState::Missed);
    }
}
