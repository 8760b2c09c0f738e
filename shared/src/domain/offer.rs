//! Offers: a commissioner offers a service to a provider, who accepts or
//! declines. Only an accepted service can be claimed; a declined one can be
//! offered again.

/// The most practices one offer names.
pub const PROVIDERS_MAX: usize = 500;

use super::ods::OdsCode;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OfferStatus {
    Offered,
    Accepted,
    Declined,
}

impl OfferStatus {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw {
            "offered" => Ok(Self::Offered),
            "accepted" => Ok(Self::Accepted),
            "declined" => Ok(Self::Declined),
            _ => Err("Choose offered, accepted or declined".to_string()),
        }
    }
}

/// What offering a service to one provider does, given any offer it already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OfferOutcome {
    Offered,
    Reoffered,
    AlreadyOffered,
    AlreadyAccepted,
}

pub fn offer(existing: Option<OfferStatus>) -> OfferOutcome {
    match existing {
        None => OfferOutcome::Offered,
        Some(OfferStatus::Declined) => OfferOutcome::Reoffered,
        Some(OfferStatus::Offered) => OfferOutcome::AlreadyOffered,
        Some(OfferStatus::Accepted) => OfferOutcome::AlreadyAccepted,
    }
}

/// The provider's answer; only an open offer can be answered.
pub fn answer(current: OfferStatus, accept: bool) -> Result<OfferStatus, String> {
    match current {
        OfferStatus::Offered if accept => Ok(OfferStatus::Accepted),
        OfferStatus::Offered => Ok(OfferStatus::Declined),
        OfferStatus::Accepted => Err("This offer has already been accepted".to_string()),
        OfferStatus::Declined => {
            Err("This offer has been declined. Ask your commissioner to offer the service again".to_string())
        }
    }
}

/// An offer is named by its service and provider: "<service id>.<ODS code>".
pub fn offer_id(service_id: &str, provider: &OdsCode) -> String {
    format!("{service_id}.{provider}")
}

pub fn parse_offer_id(id: &str) -> Option<(String, OdsCode)> {
    let (service, provider) = id.rsplit_once('.')?;
    uuid::Uuid::parse_str(service).ok()?;
    Some((service.to_string(), OdsCode::parse(provider).ok()?))
}

/// How many offers of a service are in each state.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct OfferCounts {
    pub offered: u32,
    pub accepted: u32,
    pub declined: u32,
}

impl OfferCounts {
    pub fn of(statuses: impl IntoIterator<Item = OfferStatus>) -> Self {
        let mut counts = Self::default();
        for status in statuses {
            match status {
                OfferStatus::Offered => counts.offered += 1,
                OfferStatus::Accepted => counts.accepted += 1,
                OfferStatus::Declined => counts.declined += 1,
            }
        }
        counts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offer_accept_decline_and_offer_again() {
        assert_eq!(offer(None), OfferOutcome::Offered);
        assert_eq!(answer(OfferStatus::Offered, true), Ok(OfferStatus::Accepted));
        assert_eq!(answer(OfferStatus::Offered, false), Ok(OfferStatus::Declined));
        assert!(answer(OfferStatus::Accepted, false).is_err());
        assert!(answer(OfferStatus::Declined, true).is_err());
        assert_eq!(offer(Some(OfferStatus::Declined)), OfferOutcome::Reoffered);
        assert_eq!(offer(Some(OfferStatus::Accepted)), OfferOutcome::AlreadyAccepted);
        assert_eq!(offer(Some(OfferStatus::Offered)), OfferOutcome::AlreadyOffered);
    }

    #[test]
    fn ids_name_the_service_and_provider() {
        let service = "0192f0c4-8d3e-7b7a-9a1e-2f1d3c4b5a69";
        let id = offer_id(service, &OdsCode::parse("a81001").unwrap());
        assert_eq!(id, format!("{service}.A81001"));
        assert_eq!(parse_offer_id(&id), Some((service.to_string(), OdsCode::parse("A81001").unwrap())));
        assert_eq!(parse_offer_id("nonsense.A81001"), None);
        assert_eq!(parse_offer_id(service), None);
    }

    #[test]
    fn statuses_by_name() {
        assert_eq!(OfferStatus::parse("declined"), Ok(OfferStatus::Declined));
        assert!(OfferStatus::parse(" declined ").is_err(), "as the document's list writes it");
        assert!(OfferStatus::parse("open").is_err());
    }

    #[test]
    fn counts_by_state() {
        let counts = OfferCounts::of([
            OfferStatus::Offered,
            OfferStatus::Accepted,
            OfferStatus::Accepted,
            OfferStatus::Declined,
        ]);
        assert_eq!(counts, OfferCounts { offered: 1, accepted: 2, declined: 1 });
    }
}
