//! Whether a practice can press +New Claim, and what it can claim: for each
//! service it accepted, the period whose window is open now and not yet
//! claimed. When nothing is claimable the guides give three reasons — the
//! window has not opened yet, every service has been claimed, or a window was
//! missed ("contact your Primary Care Team") — and each applies per window.

use super::claim_window::{ClaimWindow, WindowState};
use super::financial_year::{FinancialYear, PeriodKind};
use super::uk_time::{uk_date_time, uk_today};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// A service the provider accepted, with its windows.
pub struct AcceptedService<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub year: FinancialYear,
    pub periods: PeriodKind,
    pub windows: Vec<ClaimWindow>,
}

/// Something the provider can claim now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Claimable {
    pub service_id: String,
    pub service_name: String,
    pub period: String,
    pub period_label: String,
    /// None for a provider that claims any time.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closes_at: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Unavailable {
    #[serde(rename_all = "camelCase")]
    NotOpenYet {
        service_name: String,
        period_label: String,
        #[schema(value_type = String, format = DateTime)]
        opens_at: Timestamp,
        message: String,
    },
    #[serde(rename_all = "camelCase")]
    AllClaimed { message: String },
    /// Nothing accepted to claim for, and offers wait for the practice's answer.
    #[serde(rename_all = "camelCase")]
    OffersWaiting { offers: usize, message: String },
    /// Nothing accepted, and nothing offered yet.
    #[serde(rename_all = "camelCase")]
    NothingOffered { message: String },
    #[serde(rename_all = "camelCase")]
    Missed { service_name: String, period_label: String, message: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Availability {
    pub can_start_claim: bool,
    pub claimable: Vec<Claimable>,
    pub reasons: Vec<Unavailable>,
}

/// `claimed` holds (service id, period key) pairs already claimed; the
/// commissioner's name goes in the "missed" words; `offers_waiting` counts the
/// offers the practice has not answered yet.
pub fn availability(
    claims_any_time: bool, services: &[AcceptedService<'_>], claimed: &HashSet<(String, String)>,
    offers_waiting: usize, commissioner: &str, now: Timestamp,
) -> Availability {
    let mut claimable = Vec::new();
    let mut reasons = Vec::new();
    let is_claimed = |service: &str, period: &str| claimed.contains(&(service.to_string(), period.to_string()));
    for service in services {
        if claims_any_time {
            let today = uk_today(now);
            for period in service.year.periods(service.periods) {
                if period.first_day <= today && !is_claimed(service.id, &period.key()) {
                    claimable.push(Claimable {
                        service_id: service.id.to_string(),
                        service_name: service.name.to_string(),
                        period: period.key(),
                        period_label: period.label(),
                        closes_at: None,
                    });
                }
            }
            continue;
        }
        for window in &service.windows {
            let key = window.period.key();
            let label = window.period.label();
            let claimed_already = is_claimed(service.id, &key);
            match window.state(now, claimed_already) {
                WindowState::Open if claimed_already => {}
                WindowState::Open => claimable.push(Claimable {
                    service_id: service.id.to_string(),
                    service_name: service.name.to_string(),
                    period: key,
                    period_label: label,
                    closes_at: Some(window.closes_at),
                }),
                WindowState::Upcoming => reasons.push(Unavailable::NotOpenYet {
                    message: format!(
                        "The claim window for {} ({label}) has not opened yet: it opens on {}",
                        service.name,
                        uk_date_time(window.opens_at)
                    ),
                    service_name: service.name.to_string(),
                    period_label: label,
                    opens_at: window.opens_at,
                }),
                WindowState::Missed => reasons.push(Unavailable::Missed {
                    message: format!(
                        "You missed the claim window for {} ({label}). Please contact your Primary Care Team at {commissioner}",
                        service.name
                    ),
                    service_name: service.name.to_string(),
                    period_label: label,
                }),
                WindowState::Closed => {}
            }
        }
    }
    let nothing_accepted = !claims_any_time && claimable.is_empty() && reasons.is_empty() && services.is_empty();
    if nothing_accepted && offers_waiting > 0 {
        let offers = if offers_waiting == 1 { "an offer".to_string() } else { format!("{offers_waiting} offers") };
        reasons.push(Unavailable::OffersWaiting {
            offers: offers_waiting,
            message: format!(
                "You have {offers} of a service waiting for your answer: accept it on the Offers page to claim for it"
            ),
        });
    } else if nothing_accepted {
        reasons.push(Unavailable::NothingOffered {
            message: format!("{commissioner} has not offered your practice a service to claim for yet"),
        });
    } else if claimable.is_empty() && !claims_any_time && reasons.is_empty() {
        reasons.push(Unavailable::AllClaimed {
            message: "You have submitted claims for all your services: there are no more claims to make".into(),
        });
    }
    if !claimable.is_empty() {
        reasons.clear();
    }
    reasons.sort_by_key(|r| match r {
        Unavailable::NotOpenYet { opens_at, .. } => (0, Some(*opens_at)),
        Unavailable::Missed { .. } => (1, None),
        Unavailable::AllClaimed { .. } | Unavailable::OffersWaiting { .. } | Unavailable::NothingOffered { .. } => {
            (2, None)
        }
    });
    Availability { can_start_claim: claims_any_time || !claimable.is_empty(), claimable, reasons }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn year() -> FinancialYear {
        FinancialYear::starting(2026).unwrap()
    }

    fn window(quarter: &str, opens: &str, closes: &str) -> ClaimWindow {
        let period = year().period(quarter).unwrap();
        ClaimWindow { period, opens_at: opens.parse().unwrap(), closes_at: closes.parse().unwrap() }
    }

    fn care_plans(windows: Vec<ClaimWindow>) -> AcceptedService<'static> {
        AcceptedService { id: "s1", name: "Complex Care Plans", year: year(), periods: PeriodKind::Quarterly, windows }
    }

    fn at(raw: &str) -> Timestamp {
        raw.parse().unwrap()
    }

    #[test]
    fn an_open_unclaimed_window_is_claimable() {
        let q1 = window("Q1", "2026-07-01T00:00:00Z", "2026-07-14T22:59:00Z");
        let found = availability(false, &[care_plans(vec![q1])], &HashSet::new(), 0, "QHM", at("2026-07-05T09:00:00Z"));
        assert!(found.can_start_claim);
        assert_eq!(found.claimable[0].period, "2026-27-Q1");
        assert!(found.reasons.is_empty());
    }

    #[test]
    fn a_window_not_yet_open_says_when_it_opens() {
        let q2 = window("Q2", "2026-10-01T00:00:00Z", "2026-10-14T22:59:00Z");
        let found = availability(false, &[care_plans(vec![q2])], &HashSet::new(), 0, "QHM", at("2026-09-20T09:00:00Z"));
        assert!(!found.can_start_claim);
        let Unavailable::NotOpenYet { message, .. } = &found.reasons[0] else { panic!("{found:?}") };
        assert_eq!(message, "The claim window for Complex Care Plans (Q2 2026/27) has not opened yet: it opens on 1 October 2026 at 01:00");
    }

    #[test]
    fn a_practice_with_nothing_accepted_is_told_to_answer_its_offers_not_that_it_has_claimed_everything() {
        let now = at("2026-07-05T09:00:00Z");
        let waiting = availability(false, &[], &HashSet::new(), 2, "QHM", now);
        let [Unavailable::OffersWaiting { offers: 2, message }] = waiting.reasons.as_slice() else {
            panic!("{waiting:?}")
        };
        assert!(message.starts_with("You have 2 offers of a service waiting for your answer"), "{message}");
        let one = availability(false, &[], &HashSet::new(), 1, "QHM", now);
        assert!(matches!(one.reasons.as_slice(), [Unavailable::OffersWaiting { offers: 1, .. }]));
        let none = availability(false, &[], &HashSet::new(), 0, "NHS Example ICB", now);
        assert!(matches!(none.reasons.as_slice(), [Unavailable::NothingOffered { .. }]), "{none:?}");
    }

    #[test]
    fn everything_claimed_and_a_missed_window_are_told_apart() {
        let q1 = window("Q1", "2026-07-01T00:00:00Z", "2026-07-14T22:59:00Z");
        let q2 = window("Q2", "2026-10-01T00:00:00Z", "2026-10-14T22:59:00Z");
        let claimed: HashSet<_> = [("s1".to_string(), "2026-27-Q1".to_string())].into();
        let all = availability(false, &[care_plans(vec![q1.clone()])], &claimed, 0, "QHM", at("2026-07-20T09:00:00Z"));
        assert!(matches!(all.reasons.as_slice(), [Unavailable::AllClaimed { .. }]));
        let still_open =
            availability(false, &[care_plans(vec![q1.clone()])], &claimed, 0, "QHM", at("2026-07-05T09:00:00Z"));
        assert!(!still_open.can_start_claim, "a claimed period is not claimable again while its window is open");
        assert!(matches!(still_open.reasons.as_slice(), [Unavailable::AllClaimed { .. }]));
        let missed = availability(
            false,
            &[care_plans(vec![q1, q2])],
            &claimed,
            0,
            "NHS Example ICB",
            at("2026-10-20T09:00:00Z"),
        );
        let Unavailable::Missed { message, .. } = &missed.reasons[0] else { panic!("{missed:?}") };
        assert!(message.ends_with("Please contact your Primary Care Team at NHS Example ICB"));
    }

    #[test]
    fn a_provider_without_windows_can_claim_any_started_unclaimed_period() {
        let claimed: HashSet<_> = [("s1".to_string(), "2026-27-Q1".to_string())].into();
        let found = availability(true, &[care_plans(vec![])], &claimed, 0, "QHM", at("2026-11-27T09:00:00Z"));
        assert!(found.can_start_claim);
        let periods: Vec<_> = found.claimable.iter().map(|c| c.period.as_str()).collect();
        assert_eq!(periods, ["2026-27-Q2", "2026-27-Q3"]);
        assert!(availability(true, &[], &claimed, 0, "QHM", at("2026-11-27T09:00:00Z")).can_start_claim);
    }
}
