//! Components are stored as immutable versions under their service: adding
//! one writes version 1, changing one writes the next. A version is only ever
//! put if new, so what a claim was made against can never change.

use super::audit::AuditEntry;
use super::catalogue::NameMarker;
use super::catalogue::ServiceRecord;
use super::requests::Keyed;
use super::{keys, n, Store, TransactFailure};
use crate::domain::audit_action::AuditAction;
use crate::domain::component_form::ComponentDefinition;
use crate::domain::component_version::ComponentVersion;
use crate::domain::timestamp::Timestamp;
use crate::error::AppError;
use crate::error::ConflictKind;
use aws_sdk_dynamodb::types::Update;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentRecord {
    #[serde(rename = "PK")]
    pub(crate) pk: String,
    #[serde(rename = "SK")]
    pub(crate) sk: String,
    pub service_id: String,
    pub component_id: String,
    pub version: u32,
    pub effective_from: Date,
    pub definition: ComponentDefinition,
    pub created_at: Timestamp,
    pub created_by: String,
}

impl ComponentRecord {
    pub fn as_version(&self) -> ComponentVersion {
        ComponentVersion {
            version: self.version,
            effective_from: self.effective_from,
            definition: self.definition.clone(),
        }
    }
}

/// A component with all its versions, oldest first.
#[derive(Debug, Clone)]
pub struct Component {
    pub id: String,
    pub versions: Vec<ComponentVersion>,
}

impl Component {
    pub fn latest(&self) -> Option<&ComponentVersion> {
        self.versions.last()
    }
}

/// What a component version is written as.
#[derive(Clone, Copy)]
pub enum Written<'a> {
    /// A new component (with the `Idempotency-Key` its request carried, if any).
    New(Option<&'a Keyed<'a>>),
    /// The next version of a component whose latest is this.
    After(&'a ComponentVersion),
}

impl Store {
    /// Every component of a service with every version, in one read.
    pub async fn components(&self, service_id: &str) -> Result<Vec<Component>, AppError> {
        let records: Vec<ComponentRecord> =
            self.items_with_prefix(&keys::service(service_id), keys::COMPONENT_PREFIX).await?;
        let mut by_id: BTreeMap<String, Vec<ComponentVersion>> = BTreeMap::new();
        for record in records {
            by_id.entry(record.component_id.clone()).or_default().push(record.as_version());
        }
        Ok(by_id.into_iter().map(|(id, versions)| Component { id, versions }).collect())
    }

    pub async fn component(&self, service_id: &str, component_id: &str) -> Result<Option<Component>, AppError> {
        if uuid::Uuid::parse_str(component_id).is_err() {
            return Ok(None);
        }
        let prefix = format!("{}{component_id}#", keys::COMPONENT_PREFIX);
        let records: Vec<ComponentRecord> = self.items_with_prefix(&keys::service(service_id), &prefix).await?;
        if records.is_empty() {
            return Ok(None);
        }
        let versions = records.iter().map(ComponentRecord::as_version).collect();
        Ok(Some(Component { id: component_id.to_string(), versions }))
    }

    /// Writes a version: version 1 of a new component (counted on the service),
    /// or the next version of an existing one (`previous` is the latest). Two
    /// changes at once: one wins. A component's name is unique in its service.
    pub async fn write_component_version(
        &self, service: &ServiceRecord, component_id: &str, version: ComponentVersion, written: Written<'_>,
        actor: &str, now: Timestamp,
    ) -> Result<ComponentRecord, AppError> {
        let (previous, keyed) = match written {
            Written::New(keyed) => (None, keyed),
            Written::After(latest) => (Some(latest), None),
        };
        let record = ComponentRecord {
            pk: keys::service(&service.id),
            sk: keys::component_version(component_id, version.version),
            service_id: service.id.clone(),
            component_id: component_id.to_string(),
            version: version.version,
            effective_from: version.effective_from,
            definition: version.definition,
            created_at: now,
            created_by: actor.to_string(),
        };
        let first = record.version == 1;
        let audit = AuditEntry {
            actor,
            action: if first { AuditAction::ComponentAdded } else { AuditAction::ComponentChanged },
            target: format!("{}#{}", record.pk, keys::component_version(component_id, record.version)),
            organisation: &service.commissioner,
            before: None,
            after: Some(json!({
                "service": service.name,
                "version": record.version,
                "effectiveFrom": record.effective_from,
                "definition": record.definition,
            })),
        }
        .record(now);
        let name = record.definition.name.clone();
        let mut items = vec![self.put(&record, true)?, self.put(&audit, true)?];
        let old_name = previous.map(|p| keys::component_name(&p.definition.name));
        let new_name = keys::component_name(&name);
        let claims_name = old_name.as_ref() != Some(&new_name);
        if claims_name {
            let marker = NameMarker { pk: record.pk.clone(), sk: new_name, id: component_id.to_string() };
            items.push(self.put(&marker, true)?);
            if let Some(old) = old_name {
                items.push(self.delete_item(record.pk.clone(), old)?);
            }
        }
        if first {
            let count = Update::builder()
                .table_name(self.table())
                .set_key(Some(Self::key(service.pk.clone(), keys::PROFILE)))
                .update_expression("SET componentCount = if_not_exists(componentCount, :zero) + :one")
                .condition_expression("attribute_exists(PK)")
                .expression_attribute_values(":zero", n(0))
                .expression_attribute_values(":one", n(1));
            items.push(Self::built(count)?);
        }
        items.extend(self.keyed_marker(keyed, component_id, now)?);
        self.transact(items).await.map_err(|failure| match failure {
            TransactFailure::ConditionFailed(failed) if claims_name && failed.contains(&2) => AppError::conflict(
                ConflictKind::ComponentNameTaken,
                format!("{} already has a component called {name}", service.name),
            ),
            other => other.into_conflict(
                ConflictKind::AlreadyChanged,
                "Someone else changed this component at the same moment. Refresh and try again",
            ),
        })?;
        Ok(record)
    }
}
