//! Services: created, changed and shared by their commissioner, listed by
//! commissioner and year. Sharing is a marker item per commissioner that puts
//! the service on that commissioner's list too.

use super::audit::AuditEntry;
use super::requests::Keyed;
use super::{keys, n, s, IndexList, Page, Store, TransactFailure};
use crate::domain::audit_action::AuditAction;
use crate::domain::financial_year::{FinancialYear, PeriodKind};
use crate::domain::money::Money;
use crate::domain::ods::OdsCode;
use crate::domain::offer::OfferCounts;
use crate::domain::service::VatCode;
use crate::domain::service::{NewService, ServiceChange};
use crate::domain::timestamp::Timestamp;
use crate::error::AppError;
use crate::error::ConflictKind;
use aws_sdk_dynamodb::types::{TransactWriteItem, Update};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub id: String,
    pub commissioner: OdsCode,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub financial_year: FinancialYear,
    pub claim_periods: PeriodKind,
    #[serde(default)]
    pub shared_with: Vec<OdsCode>,
    #[serde(default)]
    pub component_count: u32,
    /// Moves with every window added, so two windows added at once cannot overlap unseen.
    #[serde(default)]
    pub windows_version: u64,
    #[serde(default)]
    pub window_count: u32,
    /// The owner's tally of its own offers (a commissioner it is shared with
    /// has its own, on its share marker).
    #[serde(default)]
    pub offered_count: u32,
    #[serde(default)]
    pub accepted_count: u32,
    #[serde(default)]
    pub declined_count: u32,
    pub version: u64,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// The year's budget, for spend against plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Money>,
    #[serde(default)]
    pub vat_code: VatCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_centre: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subjective_code: Option<String>,
    #[serde(rename = "GSI1PK")]
    pub(crate) gsi1pk: String,
    #[serde(rename = "GSI1SK")]
    pub(crate) gsi1sk: String,
}

/// A line of a commissioner's service list: the service itself or a share of
/// it, with that commissioner's tally of its offers (and, on the service
/// itself, how far it is set up).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSummary {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub id: String,
    pub commissioner: OdsCode,
    pub name: String,
    pub financial_year: FinancialYear,
    pub claim_periods: PeriodKind,
    #[serde(default)]
    pub component_count: u32,
    #[serde(default)]
    pub window_count: u32,
    #[serde(default)]
    pub offered_count: u32,
    #[serde(default)]
    pub accepted_count: u32,
    #[serde(default)]
    pub declined_count: u32,
    #[serde(rename = "GSI1PK")]
    pub(crate) gsi1pk: String,
    #[serde(rename = "GSI1SK")]
    pub(crate) gsi1sk: String,
}

impl ServiceSummary {
    /// This list's commissioner's own offers, by state.
    pub fn offer_counts(&self) -> OfferCounts {
        OfferCounts { offered: self.offered_count, accepted: self.accepted_count, declined: self.declined_count }
    }

    /// Whether this line is a share of another commissioner's service.
    pub fn is_shared(&self) -> bool {
        self.sk != keys::PROFILE
    }

    /// Whether this is the share marker of `commissioner`.
    pub fn is_share_for(&self, commissioner: &OdsCode) -> bool {
        self.sk == keys::shared_with(commissioner)
    }
}

/// Holds a name so no second service or component takes it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct NameMarker {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub id: String,
}

impl ServiceRecord {
    /// The owner's own offers, by state.
    pub fn offer_counts(&self) -> OfferCounts {
        OfferCounts { offered: self.offered_count, accepted: self.accepted_count, declined: self.declined_count }
    }

    fn name_marker(&self, name: &str) -> NameMarker {
        NameMarker {
            pk: keys::service_name(&self.commissioner, self.financial_year.start_year()),
            sk: keys::name_key(name),
            id: self.id.clone(),
        }
    }

    fn name_taken(&self, name: &str) -> AppError {
        AppError::conflict(
            ConflictKind::ServiceNameTaken,
            format!("{} already has a service called {name} in {}", self.commissioner, self.financial_year),
        )
    }

    /// The commissioners whose lists show this service.
    pub fn commissioners(&self) -> impl Iterator<Item = &OdsCode> {
        std::iter::once(&self.commissioner).chain(self.shared_with.iter())
    }
}

impl Store {
    /// Puts the service on `with`'s list (its share marker, written or brought
    /// up to date), keeping the tally of `with`'s offers that the marker holds.
    fn share_step(&self, service: &ServiceRecord, with: &OdsCode) -> Result<TransactWriteItem, AppError> {
        let update = Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(service.pk.clone(), keys::shared_with(with))))
            .update_expression(
                "SET id = :id, commissioner = :owner, #name = :name, financialYear = :year, \
                 claimPeriods = :periods, GSI1PK = :list, GSI1SK = :order",
            )
            .expression_attribute_names("#name", "name")
            .expression_attribute_values(":id", s(&service.id))
            .expression_attribute_values(":owner", s(service.commissioner.as_str()))
            .expression_attribute_values(":name", s(&service.name))
            .expression_attribute_values(":year", Self::to_attribute(&service.financial_year)?)
            .expression_attribute_values(":periods", Self::to_attribute(&service.claim_periods)?)
            .expression_attribute_values(":list", s(keys::services_of(with)))
            .expression_attribute_values(":order", s(&service.gsi1sk));
        Self::built(update)
    }

    /// Takes the service off a commissioner's list it was shared to; the marker
    /// stays (off every list) with that commissioner's tally, for the offers it made.
    fn unshare_step(&self, service: &ServiceRecord, from: &OdsCode) -> Result<TransactWriteItem, AppError> {
        let update = Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(service.pk.clone(), keys::shared_with(from))))
            .update_expression("REMOVE GSI1PK, GSI1SK")
            .condition_expression("attribute_exists(PK)");
        Self::built(update)
    }

    pub async fn service(&self, id: &str) -> Result<Option<ServiceRecord>, AppError> {
        if uuid::Uuid::parse_str(id).is_err() {
            return Ok(None);
        }
        self.get(keys::service(id), keys::PROFILE).await
    }

    /// A service's share markers (each with its commissioner's tally of offers).
    pub async fn service_shares(&self, id: &str) -> Result<Vec<ServiceSummary>, AppError> {
        if uuid::Uuid::parse_str(id).is_err() {
            return Ok(Vec::new());
        }
        self.items_with_prefix(&keys::service(id), keys::SHARED_PREFIX).await
    }

    /// Services by id, in one batch read.
    pub async fn services(&self, ids: &[String]) -> Result<Vec<ServiceRecord>, AppError> {
        self.batch_get(ids.iter().map(|id| (keys::service(id), keys::PROFILE.to_string())).collect()).await
    }

    pub async fn create_service(
        &self, owner: &OdsCode, new: &NewService, actor: &str, keyed: Option<&Keyed<'_>>, now: Timestamp,
    ) -> Result<ServiceRecord, AppError> {
        let id = uuid::Uuid::now_v7().to_string();
        let record = ServiceRecord {
            pk: keys::service(&id),
            sk: keys::PROFILE.to_string(),
            gsi1pk: keys::services_of(owner),
            gsi1sk: keys::service_order(new.year.start_year(), &new.name, &id),
            id,
            commissioner: owner.clone(),
            name: new.name.clone(),
            description: new.description.clone(),
            financial_year: new.year,
            claim_periods: new.claim_periods,
            shared_with: new.shared_with.clone(),
            component_count: 0,
            windows_version: 0,
            window_count: 0,
            offered_count: 0,
            accepted_count: 0,
            declined_count: 0,
            version: 1,
            created_at: now,
            updated_at: now,
            budget: None,
            vat_code: VatCode::default(),
            cost_centre: None,
            subjective_code: None,
        };
        let audit = AuditEntry {
            actor,
            action: AuditAction::ServiceCreated,
            target: record.pk.clone(),
            organisation: owner,
            before: None,
            after: Some(json!({
                "name": record.name,
                "financialYear": record.financial_year,
                "claimPeriods": record.claim_periods,
                "sharedWith": record.shared_with,
            })),
        }
        .record(now);
        const NAME: usize = 2;
        let mut items =
            vec![self.put(&record, true)?, self.put(&audit, true)?, self.put(&record.name_marker(&record.name), true)?];
        for with in &record.shared_with {
            items.push(self.share_step(&record, with)?);
        }
        items.extend(self.keyed_marker(keyed, &record.id, now)?);
        self.transact(items).await.map_err(|failure| match failure {
            TransactFailure::ConditionFailed(failed) if failed.contains(&NAME) => record.name_taken(&record.name),
            other => other.into_conflict(ConflictKind::ServiceExists, "This service already exists"),
        })?;
        Ok(record)
    }

    /// Renames, describes or re-shares a service, keeping its share markers in step.
    pub async fn update_service(
        &self, record: &ServiceRecord, change: &ServiceChange, actor: &str, now: Timestamp,
    ) -> Result<ServiceRecord, AppError> {
        let mut updated = record.clone();
        if let Some(name) = &change.name {
            updated.name = name.clone();
            updated.gsi1sk = keys::service_order(record.financial_year.start_year(), name, &record.id);
        }
        if let Some(description) = &change.description {
            updated.description = description.clone();
        }
        if let Some(shared_with) = &change.shared_with {
            updated.shared_with = shared_with.clone();
        }
        if let Some(finance) = &change.finance {
            if let Some(budget) = finance.budget {
                updated.budget = budget;
            }
            if let Some(vat_code) = finance.vat_code {
                updated.vat_code = vat_code;
            }
            if let Some(code) = &finance.cost_centre {
                updated.cost_centre = Some(code.clone());
            }
            if let Some(code) = &finance.subjective_code {
                updated.subjective_code = Some(code.clone());
            }
        }
        updated.version = record.version + 1;
        updated.updated_at = now;
        let update = Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(record.pk.clone(), keys::PROFILE)))
            .update_expression(
                "SET #name = :name, description = :description, sharedWith = :shared, GSI1SK = :order, \
                 version = :next, updatedAt = :at, budget = :budget, vatCode = :vat, costCentre = :costCentre, \
                 subjectiveCode = :subjective",
            )
            .expression_attribute_values(":budget", Self::to_attribute(&updated.budget)?)
            .expression_attribute_values(":vat", Self::to_attribute(&updated.vat_code)?)
            .expression_attribute_values(":costCentre", Self::to_attribute(&updated.cost_centre)?)
            .expression_attribute_values(":subjective", Self::to_attribute(&updated.subjective_code)?)
            .condition_expression("version = :version")
            .expression_attribute_names("#name", "name")
            .expression_attribute_values(":name", s(&updated.name))
            .expression_attribute_values(":description", s(&updated.description))
            .expression_attribute_values(":shared", Self::to_attribute(&updated.shared_with)?)
            .expression_attribute_values(":order", s(&updated.gsi1sk))
            .expression_attribute_values(":version", n(record.version))
            .expression_attribute_values(":next", n(updated.version))
            .expression_attribute_values(":at", s(updated.updated_at.to_string()));
        let audit = AuditEntry {
            actor,
            action: AuditAction::ServiceUpdated,
            target: record.pk.clone(),
            organisation: &record.commissioner,
            before: Some(json!({"name": record.name, "description": record.description,
                "sharedWith": record.shared_with, "budget": record.budget, "vatCode": record.vat_code,
                "costCentre": record.cost_centre, "subjectiveCode": record.subjective_code})),
            after: Some(json!({"name": updated.name, "description": updated.description,
                "sharedWith": updated.shared_with, "budget": updated.budget, "vatCode": updated.vat_code,
                "costCentre": updated.cost_centre, "subjectiveCode": updated.subjective_code})),
        }
        .record(now);
        let mut items = vec![Self::built(update)?, self.put(&audit, true)?];
        let renamed = keys::name_key(&record.name) != keys::name_key(&updated.name);
        if renamed {
            items.push(self.put(&updated.name_marker(&updated.name), true)?);
            let old = record.name_marker(&record.name);
            items.push(self.delete_item(old.pk, old.sk)?);
        }
        for with in &updated.shared_with {
            items.push(self.share_step(&updated, with)?);
        }
        for gone in record.shared_with.iter().filter(|c| !updated.shared_with.contains(c)) {
            items.push(self.unshare_step(record, gone)?);
        }
        self.transact(items).await.map_err(|failure| match failure {
            TransactFailure::ConditionFailed(failed) if renamed && failed.contains(&2) => {
                updated.name_taken(&updated.name)
            }
            other => other.into_conflict(
                ConflictKind::AlreadyChanged,
                "Someone else changed this service at the same moment. Refresh and try again",
            ),
        })?;
        Ok(updated)
    }

    /// One page of the services a commissioner owns or shares, by year then name.
    pub async fn services_of(
        &self, commissioner: &OdsCode, year: Option<FinancialYear>, limit: i32, cursor_text: Option<&str>,
    ) -> Result<Page<ServiceSummary>, AppError> {
        let partition = keys::services_of(commissioner);
        let prefix = year.map(|y| keys::service_year_prefix(y.start_year()));
        let list = IndexList {
            listing: "services",
            index: keys::GSI1,
            sort_key: keys::GSI1SK,
            partition: &partition,
            prefix: prefix.as_deref(),
            ascending: true,
        };
        self.index_page(&list, limit, cursor_text).await
    }
}
