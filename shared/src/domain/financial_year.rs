//! The NHS financial year runs 1 April to 31 March; quarters are Q1 Apr–Jun,
//! Q2 Jul–Sep, Q3 Oct–Dec, Q4 Jan–Mar; claim periods are months or quarters.

use jiff::civil::{date, Date};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The financial year starting on 1 April of `start_year` ("2026/27").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FinancialYear(i16);

crate::edge::openapi::fields::described_as!(FinancialYear => FinancialYear);

impl FinancialYear {
    /// The years a financial year may start in: "2000/01" to "2099/00".
    const START_YEARS: std::ops::RangeInclusive<i16> = 2000..=2099;

    pub fn starting(start_year: i16) -> Result<Self, String> {
        if Self::START_YEARS.contains(&start_year) {
            Ok(Self(start_year))
        } else {
            Err("Choose a financial year between 2000/01 and 2099/00".to_string())
        }
    }

    /// Accepts "2026/27" or "2026-27" exactly; the second year must follow the first.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let invalid = || "Enter a financial year like 2026/27".to_string();
        let (first, second) = raw.split_once(['/', '-']).ok_or_else(invalid)?;
        if first.len() != 4 || !first.bytes().chain(second.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let start: i16 = first.parse().map_err(|_| invalid())?;
        let end: i16 = second.parse().map_err(|_| invalid())?;
        if second.len() != 2 || end != (start + 1) % 100 {
            return Err(invalid());
        }
        Self::starting(start)
    }

    /// The financial year a day falls in.
    pub fn containing(day: Date) -> Self {
        let start = if day.month() >= 4 { day.year() } else { day.year() - 1 };
        Self(start)
    }

    /// As keys write it ("2026-27").
    pub fn key(self) -> String {
        format!("{}-{:02}", self.0, (self.0 + 1) % 100)
    }

    pub fn start_year(self) -> i16 {
        self.0
    }

    pub fn first_day(self) -> Date {
        date(self.0, 4, 1)
    }

    pub fn last_day(self) -> Date {
        date(self.0 + 1, 3, 31)
    }

    /// The year's claim periods of one kind, in order.
    pub fn periods(self, kind: PeriodKind) -> Vec<Period> {
        let months = match kind {
            PeriodKind::Monthly => 1,
            PeriodKind::Quarterly => 3,
        };
        (0..12 / months)
            .map(|index| {
                let start = self.month_start(index * months);
                let next = self.month_start((index + 1) * months);
                Period {
                    year: self,
                    kind,
                    number: (index + 1) as u8,
                    first_day: start,
                    last_day: next.yesterday().unwrap_or(next),
                }
            })
            .collect()
    }

    /// The first day of the `offset`th month after 1 April (12 = next 1 April).
    /// A period of this year by its short name ("Q2", "M05") or full key
    /// ("2026-27-Q2"), written exactly so.
    pub fn period(self, raw: &str) -> Result<Period, String> {
        let mut every = self.periods(PeriodKind::Quarterly).into_iter().chain(self.periods(PeriodKind::Monthly));
        if let Some(period) = every.find(|p| p.short_key() == raw || p.key() == raw) {
            return Ok(period);
        }
        let of_another_year = raw
            .split_at_checked(8)
            .and_then(|(year, _)| FinancialYear::parse(year.strip_suffix('-')?).ok())
            .and_then(|year| year.period(&raw[8..]).ok())
            .is_some_and(|period| period.year != self);
        if of_another_year {
            Err(format!("That period is not in {self}"))
        } else {
            Err(format!("Choose a period of {self}: Q1 to Q4, or M01 to M12 for monthly claims"))
        }
    }

    /// Every financial year the service keeps.
    pub fn every() -> impl Iterator<Item = FinancialYear> {
        Self::START_YEARS.map(FinancialYear)
    }

    /// The API document's pattern for a year as `parse` takes it: a closed
    /// list, since no pattern can say that the second year follows the first.
    pub fn pattern() -> String {
        let years: Vec<String> = Self::every().map(|y| format!("{}[/-]{:02}", y.0, (y.0 + 1) % 100)).collect();
        format!("^({})$", years.join("|"))
    }

    fn month_start(self, offset: i8) -> Date {
        let month = (3 + offset) % 12 + 1;
        let year = self.0 + if 3 + offset >= 12 { 1 } else { 0 };
        date(year, month, 1)
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1) % 100)
    }
}

impl TryFrom<String> for FinancialYear {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<FinancialYear> for String {
    fn from(year: FinancialYear) -> Self {
        year.to_string()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Monthly,
    Quarterly,
}

/// One claim period: "Q1 2026/27" (1 April – 30 June 2026) or "M3 2026/27".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub year: FinancialYear,
    pub kind: PeriodKind,
    pub number: u8,
    pub first_day: Date,
    pub last_day: Date,
}

impl Period {
    /// A stable key for the period, e.g. "2026-27-Q1" or "2026-27-M03".
    pub fn key(&self) -> String {
        let year = self.year.key();
        match self.kind {
            PeriodKind::Quarterly => format!("{year}-Q{}", self.number),
            PeriodKind::Monthly => format!("{year}-M{:02}", self.number),
        }
    }

    /// The period within its year ("Q2", "M05").
    pub fn short_key(&self) -> String {
        match self.kind {
            PeriodKind::Quarterly => format!("Q{}", self.number),
            PeriodKind::Monthly => format!("M{:02}", self.number),
        }
    }

    /// Reads a period back from its key, written exactly so ("2026-27-Q2", "2026-27-M05").
    pub fn from_key(key: &str) -> Option<Period> {
        let year = FinancialYear::parse(key.get(..7)?).ok()?;
        let rest = key.get(7..)?.strip_prefix('-')?;
        year.period(rest).ok().filter(|period| period.key() == key)
    }

    /// The API document's pattern for a period's key, as `from_key` reads it.
    pub fn key_pattern() -> String {
        let years: Vec<String> = FinancialYear::every().map(|y| y.key()).collect();
        format!("^({})-(Q[1-4]|M(0[1-9]|1[0-2]))$", years.join("|"))
    }

    pub fn label(&self) -> String {
        match self.kind {
            PeriodKind::Quarterly => format!("Q{} {}", self.number, self.year),
            PeriodKind::Monthly => self.first_day.strftime("%B %Y").to_string(),
        }
    }
}

/// How people say a stored period key ("Q2 2026-27", "May 2026"); a key
/// that is not a period is shown as it is rather than hidden.
pub fn period_label_of(key: &str) -> String {
    Period::from_key(key).map(|p| p.label()).unwrap_or_else(|| key.to_string())
}

/// A period's key as an address gives it ("2026-27-Q1"), checked.
pub fn period_key(raw: &str) -> Result<String, String> {
    Period::from_key(raw).map(|p| p.key()).ok_or_else(|| "Give a period like 2026-27-Q1".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_of_2026_27() {
        let year = FinancialYear::parse("2026/27").unwrap();
        let quarters: Vec<(String, String, String)> = year
            .periods(PeriodKind::Quarterly)
            .iter()
            .map(|p| (p.label(), p.first_day.to_string(), p.last_day.to_string()))
            .collect();
        assert_eq!(
            quarters,
            [
                ("Q1 2026/27".into(), "2026-04-01".into(), "2026-06-30".into()),
                ("Q2 2026/27".into(), "2026-07-01".into(), "2026-09-30".into()),
                ("Q3 2026/27".into(), "2026-10-01".into(), "2026-12-31".into()),
                ("Q4 2026/27".into(), "2027-01-01".into(), "2027-03-31".into()),
            ]
        );
    }

    #[test]
    fn months_run_april_to_march_including_a_leap_february() {
        let months = FinancialYear::starting(2027).unwrap().periods(PeriodKind::Monthly);
        assert_eq!(months.len(), 12);
        assert_eq!(months[0].first_day.to_string(), "2027-04-01");
        assert_eq!(months[10].last_day.to_string(), "2028-02-29");
        assert_eq!(months[11].last_day.to_string(), "2028-03-31");
        assert_eq!(months[11].key(), "2027-28-M12");
        assert_eq!(months[0].label(), "April 2027");
    }

    #[test]
    fn parsing_and_containment() {
        assert_eq!(FinancialYear::parse("2026-27").unwrap().to_string(), "2026/27");
        assert_eq!(FinancialYear::parse("2099/00").unwrap().to_string(), "2099/00");
        for bad in ["2026/28", "2026", "26/27", "2026/2027", "x/y"] {
            assert!(FinancialYear::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(FinancialYear::containing(date(2027, 3, 31)).to_string(), "2026/27");
        assert_eq!(FinancialYear::containing(date(2027, 4, 1)).to_string(), "2027/28");
        assert_eq!(FinancialYear::parse("2026/27").unwrap().periods(PeriodKind::Quarterly)[0].key(), "2026-27-Q1");
    }

    #[test]
    fn the_documents_patterns_take_exactly_what_parsing_takes() {
        let key = regex_lite::Regex::new(&Period::key_pattern()).unwrap();
        for raw in [
            "2026-27-Q2",
            "2026-27-M05",
            "2099-00-M12",
            "2000-01-Q1",
            "2026-27-q2",
            " 2026-27-Q2",
            "2026-28-Q1",
            "2026-27-M5",
            "2026/27-Q1",
            "1999-00-Q1",
            "2026-27-Q5",
            "2026-27-M13",
            "Q2",
            "2026-27-Q2 ",
        ] {
            assert_eq!(key.is_match(raw), Period::from_key(raw).is_some(), "{raw}");
        }
        let year = regex_lite::Regex::new(&FinancialYear::pattern()).unwrap();
        for raw in ["2026/27", "2026-27", "2099/00", " 2026/27", "2026/28", "1999/00", "2100/01", "2026/027", "+026/27"]
        {
            assert_eq!(year.is_match(raw), FinancialYear::parse(raw).is_ok(), "{raw}");
        }
    }

    #[test]
    fn periods_by_short_name_or_key() {
        let year = FinancialYear::parse("2026/27").unwrap();
        assert_eq!(year.period("Q2").unwrap().first_day.to_string(), "2026-07-01");
        assert_eq!(year.period("M05").unwrap().first_day.to_string(), "2026-08-01");
        assert_eq!(year.period("2026-27-Q4").unwrap().last_day.to_string(), "2027-03-31");
        assert!(year.period("2027-28-Q1").unwrap_err().contains("not in 2026/27"));
        for bad in ["Q0", "Q5", "M13", "X1", "", "Q", "q2", " Q2", "M5", "2026-27-q2", "2026/27-Q2"] {
            assert!(year.period(bad).is_err(), "{bad}");
        }
        assert_eq!(Period::from_key("2026-27-M12").unwrap().first_day.to_string(), "2027-03-01");
        assert_eq!(Period::from_key("2026-27-Q3").unwrap().key(), "2026-27-Q3");
        assert!(Period::from_key("2026-27").is_none());
    }
}
