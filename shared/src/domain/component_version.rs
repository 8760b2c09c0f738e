//! Components change by new versions from a date: a claim keeps the version it
//! was made against, and earlier versions stay readable and unchanged.

use super::component_form::ComponentDefinition;
use super::financial_year::FinancialYear;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentVersion {
    pub version: u32,
    pub effective_from: Date,
    pub definition: ComponentDefinition,
}

/// The version in force on a day: the latest that started on or before it.
pub fn in_force(versions: &[ComponentVersion], day: Date) -> Option<&ComponentVersion> {
    versions.iter().filter(|v| v.effective_from <= day).max_by_key(|v| v.effective_from)
}

/// The day a new component's first version starts: the day given, or the start of the year.
pub fn first_version_from(given: Option<Date>, year: FinancialYear) -> Result<Date, String> {
    let from = given.unwrap_or(year.first_day());
    if from < year.first_day() || from > year.last_day() {
        return Err(format!("The date must fall in the service's financial year {year}"));
    }
    Ok(from)
}

/// The day a change starts: after the latest version, not in the past (claims
/// may already rely on what is in force), and within the service's year.
pub fn next_version_from(
    latest: &ComponentVersion, given: Option<Date>, today: Date, year: FinancialYear,
) -> Result<Date, String> {
    let from = given.ok_or("Enter the date the change applies from")?;
    if from < today {
        return Err("A change cannot apply to past days: choose today or a later date".to_string());
    }
    if from <= latest.effective_from {
        return Err(format!(
            "Version {} already applies from {}: choose a later date",
            latest.version,
            latest.effective_from.strftime("%-d %B %Y")
        ));
    }
    if from > year.last_day() {
        return Err(format!("The date must fall in the service's financial year {year}"));
    }
    Ok(from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::component::Payment;
    use crate::domain::money::Money;
    use jiff::civil::date;

    fn version(number: u32, from: Date, price: &str) -> ComponentVersion {
        ComponentVersion {
            version: number,
            effective_from: from,
            definition: ComponentDefinition {
                name: "Complex Care Plans".into(),
                description: String::new(),
                payment: Payment::PerUnit {
                    unit_price: Money::parse(price).unwrap(),
                    unit_label: "Care plan".into(),
                    max_units: None,
                },
                evidence: None,
                questions: vec![],
                tariffs: vec![],
            },
        }
    }

    #[test]
    fn the_version_in_force_follows_the_date() {
        let versions = [version(1, date(2026, 4, 1), "193.42"), version(2, date(2027, 1, 1), "200.00")];
        assert_eq!(in_force(&versions, date(2026, 12, 31)).unwrap().version, 1);
        assert_eq!(in_force(&versions, date(2027, 1, 1)).unwrap().version, 2);
        assert!(in_force(&versions, date(2026, 3, 31)).is_none());
    }

    #[test]
    fn a_change_starts_after_the_latest_version_and_not_in_the_past() {
        let year = FinancialYear::parse("2026/27").unwrap();
        let latest = version(1, date(2026, 4, 1), "193.42");
        let today = date(2026, 11, 26);
        assert_eq!(next_version_from(&latest, Some(date(2027, 1, 1)), today, year), Ok(date(2027, 1, 1)));
        assert!(next_version_from(&latest, Some(date(2026, 11, 1)), today, year).unwrap_err().contains("past"));
        assert!(next_version_from(&latest, Some(date(2027, 4, 1)), today, year).unwrap_err().contains("2026/27"));
        assert!(next_version_from(&latest, None, today, year).is_err());
        let later = version(2, date(2027, 1, 1), "200.00");
        assert!(next_version_from(&later, Some(date(2026, 12, 1)), today, year).unwrap_err().contains("Version 2"));
    }

    #[test]
    fn a_first_version_starts_in_the_year() {
        let year = FinancialYear::parse("2026/27").unwrap();
        assert_eq!(first_version_from(None, year), Ok(date(2026, 4, 1)));
        assert!(first_version_from(Some(date(2027, 4, 1)), year).is_err());
    }
}
