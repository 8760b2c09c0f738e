//! Offers live under their service (for the commissioner's counts) and on the
//! provider's list (GSI1), one item per service and provider. Each
//! commissioner's tally of its offers (offered, accepted, declined) moves in
//! the same transaction as the offers, on the item that puts the service on
//! that commissioner's list — the service itself for its owner, the share
//! marker for a commissioner it is shared with — so the Services list has
//! the counts in the read that lists it.

use super::audit::AuditEntry;
use super::catalogue::ServiceRecord;
use super::requests::{key_used_before, Keyed};
use super::{keys, n, s, Store, TransactFailure};
use crate::domain::audit_action::AuditAction;
use crate::domain::ods::OdsCode;
use crate::domain::offer::{OfferOutcome, OfferStatus};
use crate::domain::timestamp::Timestamp;
use crate::error::AppError;
use crate::error::ConflictKind;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// Offers written in one transaction (each with its item, plus one audit entry).
const OFFERS_PER_TRANSACTION: usize = 90;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OfferRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub service_id: String,
    pub provider: OdsCode,
    pub provider_name: String,
    /// The commissioner that made the offer (the owner, or one it is shared with).
    pub commissioner: OdsCode,
    pub status: OfferStatus,
    pub offered_at: Timestamp,
    pub offered_by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answered_by: Option<String>,
    #[serde(default)]
    pub version: u64,
    #[serde(default)]
    pub updated_at: Timestamp,
    /// The keyed request that made the offer (`Keyed::sent_as`), so the same
    /// request sent again reports it as the first did, and writes nothing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offered_with: Option<String>,
    /// Whether it was a declined offer made again.
    #[serde(default)]
    pub reoffered: bool,
    #[serde(rename = "GSI1PK")]
    pub(crate) gsi1pk: String,
    #[serde(rename = "GSI1SK")]
    pub(crate) gsi1sk: String,
}

/// The attribute that counts a commissioner's offers in one state.
pub(crate) fn tally_attribute(status: OfferStatus) -> &'static str {
    match status {
        OfferStatus::Offered => "offeredCount",
        OfferStatus::Accepted => "acceptedCount",
        OfferStatus::Declined => "declinedCount",
    }
}

/// A provider about to be offered a service, and what that will do.
pub struct OfferTo {
    pub provider: OdsCode,
    pub provider_name: String,
    pub outcome: OfferOutcome,
    /// Made already by this very request, sent before with its key: not written again.
    pub made_before: bool,
}

impl OfferRecord {
    /// Whether `sent_as` (a keyed request) made this offer, still open.
    pub fn made_by(&self, sent_as: Option<&str>) -> bool {
        sent_as.is_some() && self.offered_with.as_deref() == sent_as && self.status == OfferStatus::Offered
    }

    /// What making it was: a new offer, or a declined one made again.
    pub fn made_as(&self) -> OfferOutcome {
        if self.reoffered {
            OfferOutcome::Reoffered
        } else {
            OfferOutcome::Offered
        }
    }
}

impl Store {
    pub async fn offers_of_service(&self, service_id: &str) -> Result<Vec<OfferRecord>, AppError> {
        self.items_with_prefix(&keys::service(service_id), keys::OFFER_PREFIX).await
    }

    pub async fn offer(&self, service_id: &str, provider: &OdsCode) -> Result<Option<OfferRecord>, AppError> {
        self.get(keys::service(service_id), keys::offer(provider)).await
    }

    /// Every offer a provider has had.
    pub async fn offers_to(&self, provider: &OdsCode) -> Result<Vec<OfferRecord>, AppError> {
        let query = self.gsi1_query(keys::offers_to(provider));
        self.query_all(query, "reading a provider's offers").await
    }

    /// Offers a service to providers: new offers are made, declined ones made
    /// again; anything already offered or accepted is left as it is. A provider
    /// offered by someone else at the same moment is offered once. With a key,
    /// each transaction holds it for this request (no extra round trip), and
    /// the offers are tagged with the request; a key sent with another request
    /// is refused.
    pub async fn make_offers(
        &self, service: &ServiceRecord, commissioner: &OdsCode, offers: &[OfferTo], actor: &str,
        keyed: Option<&Keyed<'_>>, now: Timestamp,
    ) -> Result<(), AppError> {
        let at = keys::instant(now);
        let sent_as = keyed.and_then(Keyed::sent_as);
        let sent_as = sent_as.as_deref();
        let changing: Vec<&OfferTo> = offers
            .iter()
            .filter(|o| matches!(o.outcome, OfferOutcome::Offered | OfferOutcome::Reoffered) && !o.made_before)
            .collect();
        if let (true, Some(keyed)) = (changing.is_empty(), keyed) {
            // Nothing to write, so no transaction to hold the key: hold it alone.
            return self.hold_request(keyed, now).await;
        }
        // One transaction per 90 offers, each standing alone (its own audit
        // entry and its own move of the tally), one after another: they share
        // the tally's item, which two transactions cannot change at once.
        for chunk in changing.chunks(OFFERS_PER_TRANSACTION) {
            let mut items = Vec::with_capacity(chunk.len() + 2);
            for offer in chunk {
                items.push(self.offer_step(service, commissioner, offer, (actor, sent_as), now, &at)?);
            }
            let reoffered = chunk.iter().filter(|o| o.outcome == OfferOutcome::Reoffered).count() as i64;
            let tally = [(OfferStatus::Offered, chunk.len() as i64), (OfferStatus::Declined, -reoffered)];
            items.push(self.tally_step(&service.pk, &service.commissioner, commissioner, &tally)?);
            let audit = AuditEntry {
                actor,
                action: AuditAction::ServiceOffered,
                target: service.pk.clone(),
                organisation: commissioner,
                before: None,
                after: Some(json!({
                    "service": service.name,
                    "providers": chunk.iter().map(|o| json!({"provider": o.provider, "outcome": o.outcome})).collect::<Vec<_>>(),
                })),
            }
            .record(now);
            items.push(self.put(&audit, true)?);
            let held_at = items.len();
            items.extend(self.held_step(keyed, now)?);
            self.transact(items).await.map_err(|failure| match failure {
                TransactFailure::ConditionFailed(at) if at.contains(&held_at) => key_used_before(),
                failure => failure.into_conflict(
                    ConflictKind::AlreadyChanged,
                    "Someone else changed these offers at the same moment. Refresh and try again",
                ),
            })?;
        }
        Ok(())
    }

    /// Moves a commissioner's tally of its offers of a service by `changes`.
    /// Unsharing a service leaves its share marker (off the list) with its
    /// tally, so an offer made while shared can still be answered and counted.
    pub(crate) fn tally_step(
        &self, service_pk: &str, owner: &OdsCode, commissioner: &OdsCode, changes: &[(OfferStatus, i64)],
    ) -> Result<TransactWriteItem, AppError> {
        let sk = if commissioner == owner { keys::PROFILE.to_string() } else { keys::shared_with(commissioner) };
        let mut update =
            Update::builder().table_name(self.table()).set_key(Some(Self::key(service_pk.to_string(), sk)));
        let mut adds = Vec::new();
        for (status, change) in changes.iter().filter(|(_, change)| *change != 0) {
            let attribute = tally_attribute(*status);
            adds.push(format!("{attribute} :{attribute}"));
            update = update.expression_attribute_values(format!(":{attribute}"), n(change));
        }
        Self::built(update.update_expression(format!("ADD {}", adds.join(", "))))
    }

    /// A new offer, or a declined one made again; `by`: who, and the keyed request, if any.
    fn offer_step(
        &self, service: &ServiceRecord, commissioner: &OdsCode, offer: &OfferTo, by: (&str, Option<&str>),
        now: Timestamp, at: &str,
    ) -> Result<TransactWriteItem, AppError> {
        let (actor, sent_as) = by;
        if offer.outcome != OfferOutcome::Offered {
            let key = Self::key(service.pk.clone(), keys::offer(&offer.provider));
            let offered_with = sent_as.map_or(AttributeValue::Null(true), s);
            return self.status_change(
                key,
                OfferStatus::Declined,
                OfferStatus::Offered,
                at,
                &[
                    ("offeredAt", s(at)),
                    ("offeredBy", s(actor)),
                    ("offeredWith", offered_with),
                    ("reoffered", AttributeValue::Bool(true)),
                ],
            );
        }
        let record = OfferRecord {
            pk: service.pk.clone(),
            sk: keys::offer(&offer.provider),
            service_id: service.id.clone(),
            provider: offer.provider.clone(),
            provider_name: offer.provider_name.clone(),
            commissioner: commissioner.clone(),
            status: OfferStatus::Offered,
            offered_at: now,
            offered_by: actor.to_string(),
            answered_at: None,
            answered_by: None,
            version: 1,
            updated_at: now,
            offered_with: sent_as.map(str::to_string),
            reoffered: false,
            gsi1pk: keys::offers_to(&offer.provider),
            gsi1sk: format!("{}\u{1}{}", service.financial_year.start_year(), service.id),
        };
        self.put(&record, true)
    }

    /// The provider accepts or declines; the offer must still be open. Returns the offer as answered.
    pub async fn answer_offer(
        &self, offer: &OfferRecord, answer: OfferStatus, owner: &OdsCode, service_name: &str, actor: &str,
        now: Timestamp,
    ) -> Result<OfferRecord, AppError> {
        let at = keys::instant(now);
        let change = self.status_change(
            Self::key(offer.pk.clone(), offer.sk.clone()),
            OfferStatus::Offered,
            answer,
            &at,
            &[("answeredAt", s(&at)), ("answeredBy", s(actor))],
        )?;
        let action =
            if answer == OfferStatus::Accepted { AuditAction::OfferAccepted } else { AuditAction::OfferDeclined };
        let entry = |organisation| {
            AuditEntry {
                actor,
                action,
                target: format!("{}#{}", offer.pk, offer.sk),
                organisation,
                before: Some(json!({"status": offer.status})),
                after: Some(json!({"status": answer, "service": service_name})),
            }
            .record(now)
        };
        let tally = [(OfferStatus::Offered, -1), (answer, 1)];
        let items = vec![
            change,
            self.put(&entry(&offer.provider), true)?,
            self.put(&entry(&offer.commissioner), true)?,
            self.tally_step(&offer.pk, owner, &offer.commissioner, &tally)?,
        ];
        self.transact(items).await.map_err(|failure| {
            failure.into_conflict(
                ConflictKind::OfferAnswered,
                "This offer has already been answered. Refresh to see its state",
            )
        })?;
        Ok(OfferRecord {
            status: answer,
            answered_at: Some(now),
            answered_by: Some(actor.to_string()),
            version: offer.version + 1,
            updated_at: now,
            ..offer.clone()
        })
    }
}
