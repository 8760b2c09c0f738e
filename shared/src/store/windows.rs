//! Claim windows live under their service, one per period. While waiting to
//! open and then to close they sit on a due-list (GSI1, by instant), so the
//! scheduled functions read only what is due, never the whole table.

use super::audit::AuditEntry;
use super::catalogue::ServiceRecord;
use super::requests::Keyed;
use super::{applied, keys, n, s, Store};
use crate::domain::audit_action::AuditAction;
use crate::domain::claim_window::ClaimWindow;
use crate::domain::financial_year::Period;
use crate::domain::ods::OdsCode;
use crate::domain::timestamp::Timestamp;
use crate::error::AppError;
use crate::error::ConflictKind;
use aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder;
use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{HashMap, HashSet};

pub use crate::domain::claim_window::WindowProgress;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WindowRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub service_id: String,
    pub commissioner: OdsCode,
    pub period_key: String,
    pub opens_at: Timestamp,
    pub closes_at: Timestamp,
    /// How far the scheduled functions have taken it.
    pub progress: WindowProgress,
    /// Providers that made no claim, recorded when the window closed.
    #[serde(default)]
    pub missed: Vec<OdsCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminded_at: Option<Timestamp>,
    pub created_at: Timestamp,
    pub created_by: String,
    #[serde(rename = "GSI1PK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi1pk: Option<String>,
    #[serde(rename = "GSI1SK", default, skip_serializing_if = "Option::is_none")]
    pub(crate) gsi1sk: Option<String>,
}

/// The windows a keyed request made (its marker names their periods, comma-separated).
pub fn made_by(records: &[WindowRecord], made: &str) -> Vec<WindowRecord> {
    let periods: Vec<&str> = made.split(',').collect();
    records.iter().filter(|w| periods.contains(&w.period_key.as_str())).cloned().collect()
}

impl WindowRecord {
    /// The windows these records hold (for the clash rules).
    pub fn windows(records: &[WindowRecord]) -> Vec<ClaimWindow> {
        records.iter().filter_map(WindowRecord::window).collect()
    }

    pub fn window(&self) -> Option<ClaimWindow> {
        let period = Period::from_key(&self.period_key)?;
        Some(ClaimWindow { period, opens_at: *self.opens_at, closes_at: *self.closes_at })
    }
}

/// The claims work writes one when a provider claims a service for a period.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimMarker {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub service_id: String,
    pub period_key: String,
    pub claim_id: String,
    /// The keyed request that entered the claim in bulk (`Keyed::sent_as`):
    /// its retry reports the claim as its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entered_with: Option<String>,
}

impl ClaimMarker {
    pub(crate) fn new(provider: &OdsCode, service_id: &str, period_key: &str, claim_id: &str) -> Self {
        Self {
            pk: keys::organisation(provider),
            sk: keys::claim_marker(service_id, period_key),
            service_id: service_id.to_string(),
            period_key: period_key.to_string(),
            claim_id: claim_id.to_string(),
            entered_with: None,
        }
    }
}

impl Store {
    /// The windows of some (service, period) pairs, in one batch read.
    pub async fn windows_for(&self, wanted: &[(String, String)]) -> Result<Vec<WindowRecord>, AppError> {
        self.batch_get(wanted.iter().map(|(service, period)| (keys::service(service), keys::window(period))).collect())
            .await
    }

    pub async fn windows_of(&self, service_id: &str) -> Result<Vec<WindowRecord>, AppError> {
        self.items_with_prefix(&keys::service(service_id), keys::WINDOW_PREFIX).await
    }

    /// Adds windows to a service. The service's window count moves in the same
    /// transaction, so windows added at the same moment are checked against each other.
    pub async fn add_windows(
        &self, service: &ServiceRecord, windows: &[ClaimWindow], actor: &str, keyed: Option<&Keyed<'_>>, now: Timestamp,
    ) -> Result<Vec<WindowRecord>, AppError> {
        let records: Vec<WindowRecord> = windows
            .iter()
            .map(|window| {
                let period_key = window.period.key();
                WindowRecord {
                    pk: service.pk.clone(),
                    sk: keys::window(&period_key),
                    service_id: service.id.clone(),
                    commissioner: service.commissioner.clone(),
                    opens_at: window.opens_at.into(),
                    closes_at: window.closes_at.into(),
                    progress: WindowProgress::Scheduled,
                    missed: Vec::new(),
                    reminded_at: None,
                    created_at: now,
                    created_by: actor.to_string(),
                    gsi1pk: Some(keys::WINDOWS_OPENING.to_string()),
                    gsi1sk: Some(keys::window_due(window.opens_at, &service.id, &period_key)),
                    period_key,
                }
            })
            .collect();
        let guard = Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(service.pk.clone(), keys::PROFILE)))
            .update_expression("SET windowsVersion = :next ADD windowCount :added")
            .condition_expression("attribute_not_exists(windowsVersion) OR windowsVersion = :seen")
            .expression_attribute_values(":seen", n(service.windows_version))
            .expression_attribute_values(":next", n(service.windows_version + 1))
            .expression_attribute_values(":added", n(records.len()));
        let audit = AuditEntry {
            actor,
            action: AuditAction::WindowsAdded,
            target: service.pk.clone(),
            organisation: &service.commissioner,
            before: None,
            after: Some(json!({
                "service": service.name,
                "windows": records.iter().map(|r| json!({"period": r.period_key, "opensAt": r.opens_at, "closesAt": r.closes_at})).collect::<Vec<_>>(),
            })),
        }
        .record(now);
        let mut items = vec![Self::built(guard)?, self.put(&audit, true)?];
        for record in &records {
            items.push(self.put(record, true)?);
        }
        let periods: Vec<&str> = records.iter().map(|r| r.period_key.as_str()).collect();
        items.extend(self.keyed_marker(keyed, &periods.join(","), now)?);
        self.transact(items).await.map_err(|failure| {
            failure.into_conflict(
                ConflictKind::AlreadyChanged,
                "Someone else changed this service's claim windows at the same moment. Refresh and try again",
            )
        })?;
        Ok(records)
    }

    /// Moves a window that has not closed to new times, on its due-list at its
    /// new instant (its opening while scheduled, its closing once open). Only
    /// if it is still as read (a scheduled run or another change did not move
    /// it), and with the service's windows checked as one, as when added.
    pub async fn change_window(
        &self, service: &ServiceRecord, record: &WindowRecord, window: &ClaimWindow, actor: &str, now: Timestamp,
    ) -> Result<WindowRecord, AppError> {
        let (list, due_at) = match record.progress {
            WindowProgress::Scheduled => (keys::WINDOWS_OPENING, window.opens_at),
            _ => (keys::WINDOWS_CLOSING, window.closes_at),
        };
        let due = keys::window_due(due_at, &service.id, &record.period_key);
        let change = Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(record.pk.clone(), record.sk.clone())))
            .update_expression(
                "SET opensAt = :opens, closesAt = :closes, GSI1PK = :list, GSI1SK = :due, changedAt = :at, changedBy = :by",
            )
            .condition_expression("progress = :progress AND opensAt = :wasOpens AND closesAt = :wasCloses")
            .expression_attribute_values(":opens", s(keys::instant(window.opens_at)))
            .expression_attribute_values(":closes", s(keys::instant(window.closes_at)))
            .expression_attribute_values(":list", s(list))
            .expression_attribute_values(":due", s(due.clone()))
            .expression_attribute_values(":at", s(keys::instant(now)))
            .expression_attribute_values(":by", s(actor))
            .expression_attribute_values(":progress", Self::to_attribute(&record.progress)?)
            .expression_attribute_values(":wasOpens", s(keys::instant(record.opens_at)))
            .expression_attribute_values(":wasCloses", s(keys::instant(record.closes_at)));
        let guard = Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(service.pk.clone(), keys::PROFILE)))
            .update_expression("SET windowsVersion = :next")
            .condition_expression("attribute_not_exists(windowsVersion) OR windowsVersion = :seen")
            .expression_attribute_values(":seen", n(service.windows_version))
            .expression_attribute_values(":next", n(service.windows_version + 1));
        let audit = AuditEntry {
            actor,
            action: AuditAction::WindowChanged,
            target: format!("{}#{}", record.pk, record.sk),
            organisation: &service.commissioner,
            before: Some(json!({"service": service.name, "period": record.period_key,
                "opensAt": record.opens_at, "closesAt": record.closes_at})),
            after: Some(json!({"service": service.name, "period": record.period_key,
                "opensAt": keys::instant(window.opens_at), "closesAt": keys::instant(window.closes_at)})),
        }
        .record(now);
        let items = vec![Self::built(change)?, Self::built(guard)?, self.put(&audit, true)?];
        self.transact(items).await.map_err(|failure| {
            failure.into_conflict(
                ConflictKind::AlreadyChanged,
                "This claim window, or another of this service's, changed at the same moment. Refresh and try again",
            )
        })?;
        Ok(WindowRecord {
            opens_at: window.opens_at.into(),
            closes_at: window.closes_at.into(),
            gsi1pk: Some(list.to_string()),
            gsi1sk: Some(due),
            ..record.clone()
        })
    }

    /// Scheduled windows whose opening time has come by `at`.
    pub async fn windows_due_to_open(&self, at: Timestamp) -> Result<Vec<WindowRecord>, AppError> {
        self.windows_due(keys::WINDOWS_OPENING, at).await
    }

    /// Open windows whose closing time comes by `at`.
    pub async fn windows_due_to_close(&self, at: Timestamp) -> Result<Vec<WindowRecord>, AppError> {
        self.windows_due(keys::WINDOWS_CLOSING, at).await
    }

    /// Windows on a due-list whose instant has come by `at`.
    async fn windows_due(&self, list: &str, at: Timestamp) -> Result<Vec<WindowRecord>, AppError> {
        let query = self
            .client()
            .query()
            .table_name(self.table())
            .index_name(keys::GSI1)
            .key_condition_expression("GSI1PK = :list AND GSI1SK <= :due")
            .expression_attribute_values(":list", s(list))
            .expression_attribute_values(":due", s(keys::due_by(at)));
        self.query_all(query, "reading the windows that are due").await
    }

    /// Moves a window from scheduled to open; false if another run already did.
    pub async fn open_window(&self, window: &WindowRecord) -> Result<bool, AppError> {
        let due = keys::window_due(window.closes_at, &window.service_id, &window.period_key);
        let update = self
            .update_window(window)
            .update_expression("SET progress = :open, GSI1PK = :list, GSI1SK = :due")
            .condition_expression("progress = :scheduled")
            .expression_attribute_values(":open", s("open"))
            .expression_attribute_values(":scheduled", s("scheduled"))
            .expression_attribute_values(":list", s(keys::WINDOWS_CLOSING))
            .expression_attribute_values(":due", s(due));
        applied(update.send().await, "updating a claim window")
    }

    /// Closes an open window, recording who missed it; false if another run already did.
    pub async fn close_window(
        &self, window: &WindowRecord, missed: &[OdsCode], now: Timestamp,
    ) -> Result<bool, AppError> {
        let update = self
            .update_window(window)
            .update_expression("SET progress = :closed, missed = :missed, closedAt = :at REMOVE GSI1PK, GSI1SK")
            .condition_expression("progress = :open")
            .expression_attribute_values(":closed", s("closed"))
            .expression_attribute_values(":open", s("open"))
            .expression_attribute_values(":missed", Self::to_attribute(&missed)?)
            .expression_attribute_values(":at", s(keys::instant(now)));
        applied(update.send().await, "updating a claim window")
    }

    /// Records that reminders went out for an open window; false if already recorded.
    pub async fn mark_reminded(&self, window: &WindowRecord, now: Timestamp) -> Result<bool, AppError> {
        let update = self
            .update_window(window)
            .update_expression("SET remindedAt = :at")
            .condition_expression("attribute_not_exists(remindedAt) AND progress = :open")
            .expression_attribute_values(":open", s("open"))
            .expression_attribute_values(":at", s(keys::instant(now)));
        applied(update.send().await, "updating a claim window")
    }

    fn update_window(&self, window: &WindowRecord) -> UpdateItemFluentBuilder {
        self.client()
            .update_item()
            .table_name(self.table())
            .set_key(Some(Self::key(window.pk.clone(), window.sk.clone())))
    }

    /// The claim id of each of these providers that claimed a service for a period.
    pub async fn claimed(
        &self, providers: &[OdsCode], service_id: &str, period_key: &str,
    ) -> Result<HashMap<OdsCode, String>, AppError> {
        let markers = self.claimed_with(providers, service_id, period_key).await?;
        Ok(markers.into_iter().map(|(code, marker)| (code, marker.claim_id)).collect())
    }

    /// As `claimed`, with the keyed request that entered each claim in bulk, if one did.
    pub async fn claimed_with(
        &self, providers: &[OdsCode], service_id: &str, period_key: &str,
    ) -> Result<HashMap<OdsCode, ClaimMarker>, AppError> {
        Ok(self.claim_markers(providers, service_id, &[period_key.to_string()]).await?.into_iter().collect())
    }

    /// Which of these providers have claimed a service for which of these periods.
    pub async fn claimed_periods(
        &self, providers: &[OdsCode], service_id: &str, period_keys: &[String],
    ) -> Result<HashSet<(OdsCode, String)>, AppError> {
        let markers = self.claim_markers(providers, service_id, period_keys).await?;
        Ok(markers.into_iter().map(|(code, marker)| (code, marker.period_key)).collect())
    }

    /// The claim markers of these providers for a service's periods, with whose each is (batch reads).
    async fn claim_markers(
        &self, providers: &[OdsCode], service_id: &str, period_keys: &[String],
    ) -> Result<Vec<(OdsCode, ClaimMarker)>, AppError> {
        let keys = providers
            .iter()
            .flat_map(|p| period_keys.iter().map(move |k| (keys::organisation(p), keys::claim_marker(service_id, k))))
            .collect();
        let markers: Vec<ClaimMarker> = self.batch_get(keys).await?;
        Ok(markers
            .into_iter()
            .filter_map(|marker| {
                let code = marker.pk.strip_prefix("ORG#").and_then(|code| OdsCode::parse(code).ok())?;
                Some((code, marker))
            })
            .collect())
    }

    /// Every (service, period) a provider has claimed.
    pub async fn claims_made_by(&self, provider: &OdsCode) -> Result<HashSet<(String, String)>, AppError> {
        let markers: Vec<ClaimMarker> =
            self.items_with_prefix(&keys::organisation(provider), keys::CLAIMED_PREFIX).await?;
        Ok(markers.into_iter().map(|m| (m.service_id, m.period_key)).collect())
    }

    /// The transaction step the claims work adds when a claim is made: once
    /// per provider, service and period.
    /// Put only if new: a second claim for the same service and period fails here.
    pub(crate) fn claim_marker_step(&self, marker: &ClaimMarker) -> Result<TransactWriteItem, AppError> {
        self.put(marker, true)
    }
}
