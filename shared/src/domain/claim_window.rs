//! Claim windows: when a period's claims may be made. Commissioners set UK
//! local dates and times; they are kept as UTC instants, correct across the
//! clock changes (jiff with the Europe/London rules).

use super::financial_year::{FinancialYear, Period, PeriodKind};
use super::uk_time::{uk_date_time, uk_instant};
use super::validation::FieldErrors;
use jiff::civil::{Date, DateTime, Time};
use jiff::Timestamp;
use serde::Deserialize;

/// Windows close at one minute to midnight unless a time is given.
pub fn closing_time() -> Time {
    jiff::civil::time(23, 59, 0, 0)
}

pub const OPEN_FOR_DAYS_DEFAULT: i16 = 14;
pub const OPEN_FOR_DAYS_MAX: i16 = 90;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimWindow {
    pub period: Period,
    pub opens_at: Timestamp,
    pub closes_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WindowState {
    Upcoming,
    Open,
    Closed,
    Missed,
}

impl WindowState {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "upcoming" => Ok(Self::Upcoming),
            "open" => Ok(Self::Open),
            "closed" => Ok(Self::Closed),
            "missed" => Ok(Self::Missed),
            _ => Err("Choose upcoming, open, closed or missed".to_string()),
        }
    }
}

impl ClaimWindow {
    pub fn new(period: &Period, opens_at: Timestamp, closes_at: Timestamp) -> Result<Self, String> {
        if closes_at <= opens_at {
            return Err("The window must close after it opens".to_string());
        }
        Ok(Self { period: *period, opens_at, closes_at })
    }

    /// The usual window: opening the day after the period ends, at midnight,
    /// and closing at 23:59 on the last of `days` days.
    pub fn after(period: &Period, days: i16) -> Result<Self, String> {
        let opens = period.last_day.tomorrow().map_err(|e| e.to_string())?;
        let closes = opens.checked_add(jiff::Span::new().days(days - 1)).map_err(|e| e.to_string())?;
        Self::new(period, uk_instant(opens, Time::midnight())?, uk_instant(closes, closing_time())?)
    }

    /// For a provider: `claimed` means it made a claim for this period.
    pub fn state(&self, now: impl Into<Timestamp>, claimed: bool) -> WindowState {
        let now: Timestamp = now.into();
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

pub fn find_overlap(windows: &[ClaimWindow]) -> Option<(&ClaimWindow, &ClaimWindow)> {
    windows
        .iter()
        .enumerate()
        .flat_map(|(i, a)| windows[i + 1..].iter().map(move |b| (a, b)))
        .find(|(a, b)| a.overlaps(b))
}

/// Why a new window cannot join a service's windows, if it cannot.
pub fn clash(new: &ClaimWindow, existing: &[ClaimWindow]) -> Option<String> {
    if let Some(same) = existing.iter().find(|w| w.period == new.period) {
        return Some(format!("{} already has a claim window", same.period.label()));
    }
    existing.iter().find(|w| w.overlaps(new)).map(|other| {
        format!(
            "This window overlaps the window for {} ({} to {})",
            other.period.label(),
            uk_date_time(other.opens_at),
            uk_date_time(other.closes_at)
        )
    })
}

/// How far the scheduled functions have taken a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WindowProgress {
    Scheduled,
    Open,
    Closed,
}

/// Why a window cannot be changed as asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeRefused {
    /// It has closed: who missed it is recorded, so it stays as it was.
    Closed(String),
    /// The field named is not right for a window in this state.
    Field(&'static str, String),
}

/// Whether a window may become `proposed`: a closed one stays as it was; an
/// open one keeps its opening (practices may already have claimed) and must
/// still close in the future, as must a scheduled one; and none may overlap
/// the service's other windows (`others`, without this one).
pub fn change(
    current: &ClaimWindow, progress: WindowProgress, proposed: &ClaimWindow, others: &[ClaimWindow], now: Timestamp,
) -> Result<(), ChangeRefused> {
    let label = current.period.label();
    if progress == WindowProgress::Closed || current.closes_at <= now {
        return Err(ChangeRefused::Closed(format!("The claim window for {label} has closed, so it cannot be changed")));
    }
    if progress == WindowProgress::Open && proposed.opens_at != current.opens_at {
        return Err(ChangeRefused::Field(
            "opens",
            format!(
                "The claim window for {label} is open: it opened {} and that cannot change now",
                uk_date_time(current.opens_at)
            ),
        ));
    }
    if proposed.closes_at <= now {
        return Err(ChangeRefused::Field("closes", "The window must close in the future".to_string()));
    }
    match clash(proposed, others) {
        Some(problem) => Err(ChangeRefused::Field("opens", problem)),
        None => Ok(()),
    }
}

/// Windows for every period of a year, `days` long each; refused if that is
/// so long that one period's window would run into the next one's.
pub fn generate(year: FinancialYear, kind: PeriodKind, days: i16) -> Result<Vec<ClaimWindow>, String> {
    let windows: Vec<ClaimWindow> =
        year.periods(kind).iter().map(|period| ClaimWindow::after(period, days)).collect::<Result<_, _>>()?;
    if let Some((first, second)) = find_overlap(&windows) {
        return Err(format!(
            "Windows open for {days} days would overlap ({} and {}): choose fewer days",
            first.period.label(),
            second.period.label()
        ));
    }
    Ok(windows)
}

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WindowForm {
    /// "Q2", "M05" or "2026-27-Q2".
    #[schema(schema_with = crate::edge::openapi::fields::period_as_listed, required = true)]
    pub period: Option<String>,
    /// A day ("2026-07-01", from midnight) or a day and time ("2026-07-01T09:00"), in England.
    #[schema(schema_with = crate::edge::openapi::fields::window_time, required = true)]
    pub opens: Option<String>,
    /// A day (until 23:59) or a day and time, in England.
    #[schema(schema_with = crate::edge::openapi::fields::window_time, required = true)]
    pub closes: Option<String>,
}

fn uk_moment(raw: Option<&str>, default_time: Time, missing: &str) -> Result<Timestamp, String> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty()).ok_or_else(|| missing.to_string())?;
    let invalid = || "Enter a date like 2026-07-01, or a date and time like 2026-07-01T09:00".to_string();
    match raw.parse::<Date>() {
        Ok(day) if raw.len() == 10 => uk_instant(day, default_time),
        _ => {
            let moment: DateTime = raw.parse().map_err(|_| invalid())?;
            uk_instant(moment.date(), moment.time())
        }
    }
}

impl WindowForm {
    pub fn validate(&self, year: FinancialYear, kind: PeriodKind) -> Result<ClaimWindow, FieldErrors> {
        let mut errors = FieldErrors::new();
        let period = errors.check(
            "period",
            match self.period.as_deref() {
                None => Err("Choose the period this window is for, like Q1".to_string()),
                Some(raw) => year.period(raw).and_then(|p| {
                    if p.kind == kind {
                        Ok(p)
                    } else {
                        Err(format!(
                            "This service is claimed {}",
                            if kind == PeriodKind::Monthly {
                                "monthly: choose M01 to M12"
                            } else {
                                "quarterly: choose Q1 to Q4"
                            }
                        ))
                    }
                }),
            },
        );
        let opens =
            errors.check("opens", uk_moment(self.opens.as_deref(), Time::midnight(), "Enter when the window opens"));
        let closes =
            errors.check("closes", uk_moment(self.closes.as_deref(), closing_time(), "Enter when the window closes"));
        if let (Some(period), Some(opens)) = (&period, opens) {
            if let Ok(start) = uk_instant(period.first_day, Time::midnight()) {
                if opens < start {
                    errors.add(
                        "opens",
                        format!(
                            "A claim window cannot open before its period starts ({})",
                            period.first_day.strftime("%-d %B %Y")
                        ),
                    );
                }
            }
        }
        let (Some(period), Some(opens), Some(closes)) = (period, opens, closes) else {
            return Err(errors);
        };
        match ClaimWindow::new(&period, opens, closes) {
            Ok(window) if errors.is_empty() => Ok(window),
            Ok(_) => Err(errors),
            Err(message) => {
                errors.add("closes", message);
                Err(errors)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(key: &str) -> Period {
        FinancialYear::parse("2026/27").unwrap().period(key).unwrap()
    }

    fn at(day: &str) -> Timestamp {
        uk_instant(day.parse().unwrap(), Time::midnight()).unwrap()
    }

    #[test]
    fn a_scheduled_window_moves_an_open_one_only_closes_later_and_a_closed_one_stays() {
        let q2 = ClaimWindow::new(&period("Q2"), at("2026-10-01"), at("2026-10-15")).unwrap();
        let q3 = ClaimWindow::new(&period("Q3"), at("2027-01-01"), at("2027-01-15")).unwrap();
        let later = ClaimWindow::new(&period("Q2"), at("2026-10-05"), at("2026-10-20")).unwrap();
        let before = at("2026-09-01");
        assert_eq!(change(&q2, WindowProgress::Scheduled, &later, std::slice::from_ref(&q3), before), Ok(()));
        let during = at("2026-10-03");
        assert!(matches!(
            change(&q2, WindowProgress::Open, &later, &[], during),
            Err(ChangeRefused::Field("opens", _))
        ));
        let extended = ClaimWindow::new(&period("Q2"), q2.opens_at, at("2026-10-30")).unwrap();
        assert_eq!(change(&q2, WindowProgress::Open, &extended, &[], during), Ok(()));
        let shortened = ClaimWindow::new(&period("Q2"), q2.opens_at, at("2026-10-02")).unwrap();
        assert!(matches!(
            change(&q2, WindowProgress::Open, &shortened, &[], during),
            Err(ChangeRefused::Field("closes", _))
        ));
        let after = at("2026-10-16");
        assert!(matches!(change(&q2, WindowProgress::Open, &extended, &[], after), Err(ChangeRefused::Closed(_))));
        assert!(matches!(change(&q2, WindowProgress::Closed, &extended, &[], during), Err(ChangeRefused::Closed(_))));
        let into_q3 = ClaimWindow::new(&period("Q2"), at("2026-10-01"), at("2027-01-10")).unwrap();
        let refused = change(&q2, WindowProgress::Scheduled, &into_q3, &[q3], before);
        assert!(matches!(refused, Err(ChangeRefused::Field("opens", ref m)) if m.contains("overlaps")), "{refused:?}");
    }
    use crate::domain::financial_year::{FinancialYear, PeriodKind};
    use jiff::civil::date;

    fn q(n: usize) -> Period {
        FinancialYear::parse("2026/27").unwrap().periods(PeriodKind::Quarterly)[n]
    }

    #[test]
    fn a_window_must_close_after_it_opens_and_not_overlap() {
        let open = uk_instant(date(2026, 7, 1), Time::midnight()).unwrap();
        assert!(ClaimWindow::new(&q(0), open, open).is_err());
        let q1 = ClaimWindow::after(&q(0), 14).unwrap();
        assert_eq!(q1.opens_at.to_string(), "2026-06-30T23:00:00Z");
        assert_eq!(q1.closes_at.to_string(), "2026-07-14T22:59:00Z");
        let q2 = ClaimWindow::after(&q(1), 14).unwrap();
        assert!(find_overlap(&[q1.clone(), q2.clone()]).is_none());
        let clash = ClaimWindow::new(&q(1), q1.opens_at, q1.closes_at).unwrap();
        assert!(find_overlap(&[q1, q2, clash]).is_some());
    }

    #[test]
    fn entered_windows_are_checked() {
        let year = FinancialYear::parse("2026/27").unwrap();
        let form = WindowForm {
            period: Some("Q3".into()),
            opens: Some("2027-01-01".into()),
            closes: Some("2026-10-25".into()),
        };
        let errors = form.validate(year, PeriodKind::Quarterly).unwrap_err();
        assert_eq!(errors.iter().map(|e| e.pointer.as_str()).collect::<Vec<_>>(), ["/closes"]);
        let october = WindowForm {
            period: Some("Q2".into()),
            opens: Some("2026-10-01".into()),
            closes: Some("2026-10-25".into()),
        };
        let window = october.validate(year, PeriodKind::Quarterly).unwrap();
        assert_eq!(window.opens_at.to_string(), "2026-09-30T23:00:00Z");
        assert_eq!(window.closes_at.to_string(), "2026-10-25T23:59:00Z");
        let early = WindowForm {
            period: Some("Q2".into()),
            opens: Some("2026-06-30T09:00".into()),
            closes: Some("2026-10-25".into()),
        };
        assert_eq!(early.validate(year, PeriodKind::Quarterly).unwrap_err().iter().next().unwrap().pointer, "/opens");
        let monthly = WindowForm { period: Some("Q2".into()), ..october };
        assert!(monthly.validate(year, PeriodKind::Monthly).is_err());
        assert_eq!(WindowForm::default().validate(year, PeriodKind::Quarterly).unwrap_err().iter().count(), 3);
    }

    #[test]
    fn generated_quarters_do_not_clash() {
        let year = FinancialYear::parse("2026/27").unwrap();
        let windows = generate(year, PeriodKind::Quarterly, 14).unwrap();
        assert_eq!(windows.len(), 4);
        assert!(find_overlap(&windows).is_none());
        assert_eq!(windows[3].closes_at.to_string(), "2027-04-14T22:59:00Z");
        assert!(clash(&windows[0], &windows[..1]).unwrap().contains("already has a claim window"));
        let overlapping = ClaimWindow::new(&windows[1].period, windows[0].opens_at, windows[0].closes_at).unwrap();
        assert!(clash(&overlapping, &windows[..1]).unwrap().contains("overlaps the window for Q1 2026/27"));
        assert_eq!(generate(year, PeriodKind::Monthly, 28).unwrap().len(), 12);
        let too_long = generate(year, PeriodKind::Monthly, 40).unwrap_err();
        assert!(too_long.contains("would overlap (April 2026 and May 2026)"), "{too_long}");
    }

    #[test]
    fn states_follow_the_clock_and_the_claim() {
        let w = ClaimWindow::after(&q(0), 14).unwrap();
        let before: Timestamp = "2026-06-01T00:00:00Z".parse().unwrap();
        let during: Timestamp = "2026-07-05T00:00:00Z".parse().unwrap();
        let after: Timestamp = "2026-08-01T00:00:00Z".parse().unwrap();
        assert_eq!(w.state(before, false), WindowState::Upcoming);
        assert_eq!(w.state(during, false), WindowState::Open);
        assert_eq!(w.state(after, true), WindowState::Closed);
        assert_eq!(w.state(after, false), WindowState::Missed);
        assert_eq!(WindowState::parse("missed"), Ok(WindowState::Missed));
        assert!(WindowState::parse("shut").is_err());
    }
}
