//! Filters for reading the audit trail: by user, action and date (UK calendar days).

use super::validation::FieldErrors;
use jiff::civil::Date;
use jiff::Timestamp;

/// Every action the audit trail records, as the `action` filter names it.
/// A test reads the code for the actions it writes, so a new one is listed.
pub const ACTIONS: &[&str] = &[
    "access.approved",
    "access.rejected",
    "access.requested",
    "account.disabled",
    "account.enabled",
    "account.mfa-enabled",
    "claim.approved",
    "claim.deleted",
    "claim.entered",
    "claim.evidence-checked",
    "claim.rejected",
    "claim.returned",
    "claim.started",
    "claim.submitted",
    "component.added",
    "component.changed",
    "evidence.downloaded",
    "evidence.replacement-removed",
    "invitation.accepted",
    "invitation.cancelled",
    "invitation.resent",
    "invitation.sent",
    "membership.created",
    "membership.enabled",
    "membership.revoked",
    "offer.accepted",
    "offer.declined",
    "organisation.created",
    "organisation.updated",
    "payment-run.confirmed",
    "payment-run.exported",
    "payment-run.started",
    "profile.updated",
    "registration.approved",
    "registration.completed",
    "registration.rejected",
    "registration.submitted",
    "service.created",
    "service.offered",
    "service.updated",
    "windows.added",
    "window.changed",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditQuery {
    pub user: Option<String>,
    pub action: Option<String>,
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
        user: Option<&str>,
        action: Option<&str>,
        from: Option<&str>,
        to: Option<&str>,
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
        let action = action.map(str::trim).filter(|a| !a.is_empty()).map(str::to_string);
        if let Some(unknown) = action.as_deref().filter(|a| !ACTIONS.contains(a)) {
            errors.add("action", format!("There is no action called {unknown}. Choose one of: {}", ACTIONS.join(", ")));
        }
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
        assert!(AuditQuery::parse(None, Some("claim.submitted"), None, None).is_ok());
    }

    /// Every action the code writes is one the filter accepts.
    #[test]
    fn every_action_written_is_listed() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut written = std::collections::BTreeSet::new();
        let mut sources = vec![root.join("shared/src")];
        if let Ok(functions) = std::fs::read_dir(root.join("functions")) {
            sources.extend(functions.flatten().map(|f| f.path().join("src")));
        }
        while let Some(dir) = sources.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    sources.push(path);
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                for line in text.lines().filter(|l| l.contains("action") || l.contains("move_claim(")) {
                    for quoted in line.split('"').skip(1).step_by(2) {
                        let parts: Vec<&str> = quoted.split('.').collect();
                        let word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '-');
                        if parts.len() == 2 && parts.iter().all(|p| word(p)) {
                            written.insert(quoted.to_string());
                        }
                    }
                }
            }
        }
        for verdict in ["approved", "rejected", "returned"] {
            written.insert(format!("claim.{verdict}"));
        }
        assert!(written.len() > 30, "the sources were read: {written:?}");
        let unlisted: Vec<_> = written.iter().filter(|a| !ACTIONS.contains(&a.as_str())).collect();
        assert!(unlisted.is_empty(), "actions written but not listed in ACTIONS: {unlisted:?}");
    }

    #[test]
    fn bad_or_backwards_dates_are_refused() {
        assert!(AuditQuery::parse(None, None, Some("01/04/2026"), None).is_err());
        let backwards = AuditQuery::parse(None, None, Some("2026-05-02"), Some("2026-05-01")).unwrap_err();
        assert!(backwards.iter().any(|e| e.pointer == "/to"));
        let q = AuditQuery::parse(Some(" u1 "), Some(""), None, None).unwrap();
        assert_eq!(q.user.as_deref(), Some("u1"));
        assert_eq!(q.action, None);
    }
}
