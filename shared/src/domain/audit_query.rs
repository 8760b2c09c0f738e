//! Filters for reading the audit trail: by user, action and date (UK calendar days).

use super::audit_action::AuditAction;
use super::validation::FieldErrors;
use jiff::civil::Date;
use jiff::Timestamp;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditQuery {
    pub user: Option<String>,
    pub action: Option<AuditAction>,
    /// Inclusive start and exclusive end, as UTC instants.
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

fn uk_midnight(date: Date) -> Result<Timestamp, String> {
    super::uk_time::uk_instant(date, jiff::civil::Time::midnight())
}

fn parse_day(raw: &str, field: &str, errors: &mut FieldErrors) -> Option<Date> {
    match raw.trim().parse::<Date>() {
        Ok(date) => Some(date),
        Err(_) => {
            errors.add(field, "Enter a date as YYYY-MM-DD, for example 2026-04-01");
            None
        }
    }
}

impl AuditQuery {
    /// `from` and `to` are UK calendar days, both included.
    pub fn parse(
        user: Option<&str>, action: Option<&str>, from: Option<&str>, to: Option<&str>,
    ) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let from_day = from.and_then(|raw| parse_day(raw, "from", &mut errors));
        let to_day = to.and_then(|raw| parse_day(raw, "to", &mut errors));
        if let (Some(a), Some(b)) = (from_day, to_day) {
            if b < a {
                errors.add("to", "The end date must be on or after the start date");
            }
        }
        let from = from_day.and_then(|day| errors.check("from", uk_midnight(day)));
        let until = to_day.and_then(|day| day.tomorrow().ok()).and_then(|day| errors.check("to", uk_midnight(day)));
        let action = match action {
            None => None,
            Some(text) => {
                let known = AuditAction::parse(text);
                if known.is_none() {
                    let every: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
                    errors.add(
                        "action",
                        format!("There is no action called {text}. Choose one of: {}", every.join(", ")),
                    );
                }
                known
            }
        };
        errors.into_result()?;
        Ok(Self { user: user.map(str::trim).filter(|u| !u.is_empty()).map(str::to_string), action, from, until })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uk_days_become_utc_instants_across_the_clock_change() {
        // Summer time: 1 July starts at 23:00 UTC the day before.
        let q = AuditQuery::parse(None, None, Some("2026-07-01"), Some("2026-07-01")).unwrap();
        assert_eq!(q.from.unwrap().to_string(), "2026-06-30T23:00:00Z");
        assert_eq!(q.until.unwrap().to_string(), "2026-07-01T23:00:00Z");
        // Winter: midnight is midnight UTC.
        let w = AuditQuery::parse(None, None, Some("2026-12-01"), None).unwrap();
        assert_eq!(w.from.unwrap().to_string(), "2026-12-01T00:00:00Z");
        assert_eq!(w.until, None);
    }

    #[test]
    fn an_unknown_action_is_refused_with_the_list_of_actions() {
        let refused = AuditQuery::parse(None, Some("claim.paid-twice"), None, None).unwrap_err();
        let detail = &refused.iter().next().unwrap().detail;
        assert!(detail.contains("claim.paid-twice"));
        assert!(detail.contains("access.approved") && detail.contains("windows.added"));
        let submitted = AuditQuery::parse(None, Some("claim.submitted"), None, None).unwrap();
        assert_eq!(submitted.action, Some(AuditAction::ClaimSubmitted));
    }

    #[test]
    fn bad_or_backwards_dates_are_refused() {
        assert!(AuditQuery::parse(None, None, Some("01/04/2026"), None).is_err());
        let backwards = AuditQuery::parse(None, None, Some("2026-05-02"), Some("2026-05-01")).unwrap_err();
        assert!(backwards.iter().any(|e| e.pointer == "/to"));
        let q = AuditQuery::parse(Some(" u1 "), None, None, None).unwrap();
        assert_eq!(q.user.as_deref(), Some("u1"));
        assert_eq!(q.action, None);
        assert!(AuditQuery::parse(None, Some(""), None, None).is_err(), "an action is one of the list");
    }
}
