//! England's clock: the days and times people enter and read are in
//! Europe/London; what is stored and compared is the UTC instant.

use jiff::civil::{Date, Time};
use jiff::Timestamp;

const ENGLAND: &str = "Europe/London";

/// A day and time in England as the instant it is, across the clock changes
/// (a time that happens twice in October is the first; one skipped in March
/// moves on by the hour).
pub fn uk_instant(day: Date, time: Time) -> Result<Timestamp, String> {
    day.to_datetime(time)
        .in_tz(ENGLAND)
        .map(|zoned| zoned.timestamp())
        .map_err(|e| format!("That date and time cannot be used: {e}"))
}

/// The day it is in England at an instant.
pub fn uk_today(now: impl Into<Timestamp>) -> Date {
    let now: Timestamp = now.into();
    match now.in_tz(ENGLAND) {
        Ok(local) => local.date(),
        Err(_) => now.to_zoned_datetime(jiff::tz::TimeZone::UTC).date(),
    }
}

/// A moment as people in England read it: "3 December 2026 at 19:17".
pub fn uk_date_time(at: impl Into<Timestamp>) -> String {
    let at: Timestamp = at.into();
    match at.in_tz(ENGLAND) {
        Ok(local) => local.strftime("%-d %B %Y at %H:%M").to_string(),
        Err(_) => at.strftime("%-d %B %Y at %H:%M UTC").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{date, time};

    #[test]
    fn closing_at_23_59_on_the_last_sunday_of_october_is_gmt() {
        assert_eq!(uk_instant(date(2026, 10, 25), time(23, 59, 0, 0)).unwrap().to_string(), "2026-10-25T23:59:00Z");
        assert_eq!(uk_instant(date(2026, 10, 24), time(23, 59, 0, 0)).unwrap().to_string(), "2026-10-24T22:59:00Z");
        assert_eq!(uk_instant(date(2027, 3, 28), time(23, 59, 0, 0)).unwrap().to_string(), "2027-03-28T22:59:00Z");
    }

    #[test]
    fn the_repeated_and_the_missing_hour() {
        assert_eq!(uk_instant(date(2026, 10, 25), time(1, 30, 0, 0)).unwrap().to_string(), "2026-10-25T00:30:00Z");
        assert_eq!(uk_instant(date(2027, 3, 28), time(1, 30, 0, 0)).unwrap().to_string(), "2027-03-28T01:30:00Z");
    }

    #[test]
    fn dates_and_times_as_read_in_england() {
        assert_eq!(
            uk_date_time("2026-12-03T19:17:00Z".parse::<jiff::Timestamp>().unwrap()),
            "3 December 2026 at 19:17"
        );
        assert_eq!(uk_date_time("2026-07-03T19:17:00Z".parse::<jiff::Timestamp>().unwrap()), "3 July 2026 at 20:17");
        assert_eq!(uk_today("2026-06-30T23:30:00Z".parse::<jiff::Timestamp>().unwrap()), date(2026, 7, 1));
        assert_eq!(uk_today("2026-12-31T23:30:00Z".parse::<jiff::Timestamp>().unwrap()), date(2026, 12, 31));
    }
}
