//! Organisations: created by the Service Desk (commissioners) or a commissioner's
//! administrators (its providers), listed by commissioner, renamed and set up.

use super::audit::AuditEntry;
use super::records::OrganisationRecord;
use super::requests::Keyed;
use super::{keys, n, s, IndexList, Page, Store};
use crate::domain::audit_action::AuditAction;
use crate::domain::ods::OdsCode;
use crate::domain::organisation::{NewOrganisation, Organisation, OrganisationChange};
use crate::domain::role::OrganisationKind;
use crate::domain::timestamp::Timestamp;
use crate::error::ConflictKind;
use crate::error::{dependency, AppError};
use aws_sdk_dynamodb::types::{AttributeValue, Update};
use serde_json::json;

impl OrganisationRecord {
    fn from_new(new: &NewOrganisation) -> Self {
        let organisation = &new.organisation;
        let list = match (&organisation.kind, &organisation.commissioner) {
            (OrganisationKind::Provider, Some(commissioner)) => Some(keys::providers_of(commissioner)),
            (OrganisationKind::Commissioner, _) => Some(keys::COMMISSIONERS.to_string()),
            _ => None,
        };
        Self {
            pk: keys::organisation(&organisation.code),
            sk: keys::PROFILE.to_string(),
            code: organisation.code.clone(),
            name: organisation.name.clone(),
            kind: organisation.kind,
            commissioner: organisation.commissioner.clone(),
            organisation_type: Some(new.organisation_type),
            claim_submission: new.claim_submission,
            claims_any_time: false,
            claims_need_approval: false,
            finance_threshold: None,
            version: 1,
            imported_with: None,
            gsi1sk: list.as_ref().map(|_| keys::organisation_order(&organisation.name, &organisation.code)),
            gsi1pk: list,
        }
    }

    pub fn organisation(&self) -> Organisation {
        Organisation {
            code: self.code.clone(),
            name: self.name.clone(),
            kind: self.kind,
            commissioner: self.commissioner.clone(),
        }
    }
}

impl Store {
    pub async fn organisation_record(&self, code: &OdsCode) -> Result<Option<OrganisationRecord>, AppError> {
        self.get(keys::organisation(code), keys::PROFILE).await
    }

    /// Organisation records by code, in one batch read; unknown codes are absent.
    pub async fn organisation_records(&self, codes: &[OdsCode]) -> Result<Vec<OrganisationRecord>, AppError> {
        self.batch_get(codes.iter().map(|code| (keys::organisation(code), keys::PROFILE.to_string())).collect()).await
    }

    pub async fn organisation(&self, code: &OdsCode) -> Result<Option<Organisation>, AppError> {
        Ok(self.organisation_record(code).await?.map(|r| r.organisation()))
    }

    /// Loads demo and reference data (no audit: it is not a user's change).
    pub async fn put_organisation(&self, new: &NewOrganisation) -> Result<(), AppError> {
        self.client()
            .put_item()
            .table_name(self.table())
            .set_item(Some(Self::to_item(&OrganisationRecord::from_new(new))?))
            .send()
            .await
            .map_err(dependency("saving the organisation"))?;
        Ok(())
    }

    /// Adds an organisation; its ODS code must be new.
    pub async fn create_organisation(
        &self, new: &NewOrganisation, actor: &str, keyed: Option<&Keyed<'_>>, now: Timestamp,
    ) -> Result<OrganisationRecord, AppError> {
        self.add_organisation(OrganisationRecord::from_new(new), actor, keyed, now).await
    }

    /// Adds one practice of a practice file, tagged with the keyed import
    /// that adds it (`Keyed::sent_as`); its ODS code must be new.
    pub async fn import_organisation(
        &self, new: &NewOrganisation, actor: &str, imported_with: Option<String>, now: Timestamp,
    ) -> Result<OrganisationRecord, AppError> {
        let record = OrganisationRecord { imported_with, ..OrganisationRecord::from_new(new) };
        self.add_organisation(record, actor, None, now).await
    }

    async fn add_organisation(
        &self, record: OrganisationRecord, actor: &str, keyed: Option<&Keyed<'_>>, now: Timestamp,
    ) -> Result<OrganisationRecord, AppError> {
        let audit = AuditEntry {
            actor,
            action: AuditAction::OrganisationCreated,
            target: keys::organisation(&record.code),
            organisation: &record.code,
            before: None,
            after: Some(json!({
                "name": record.name,
                "type": record.organisation_type,
                "commissioner": record.commissioner,
                "claimSubmission": record.claim_submission,
            })),
        }
        .record(now);
        let mut items = vec![self.put(&record, true)?, self.put(&audit, true)?];
        items.extend(self.keyed_marker(keyed, record.code.as_str(), now)?);
        self.transact(items).await.map_err(|failure| {
            failure.into_conflict(
                ConflictKind::OrganisationExists,
                &format!("An organisation with the ODS code {} already exists", record.code),
            )
        })?;
        Ok(record)
    }

    /// Renames an organisation, changes a commissioner's claim setting or a
    /// provider's claim windows. Returns the organisation as changed.
    pub async fn update_organisation(
        &self, record: &OrganisationRecord, change: &OrganisationChange, actor: &str, now: Timestamp,
    ) -> Result<OrganisationRecord, AppError> {
        let new_name = change.name.as_deref().unwrap_or(&record.name);
        let new_claims = change.claim_submission.or(record.claim_submission);
        let any_time = change.claims_any_time.unwrap_or(record.claims_any_time);
        let need_approval = change.claims_need_approval.unwrap_or(record.claims_need_approval);
        let threshold = change.finance_threshold.or(record.finance_threshold);
        let set = "SET #name = :name, claimSubmission = :claims, claimsAnyTime = :anyTime, \
                   claimsNeedApproval = :approval, financeThreshold = :threshold, version = :next";
        let mut update = Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(record.pk.clone(), record.sk.clone())))
            .update_expression(set)
            .condition_expression("attribute_not_exists(version) OR version = :version")
            .expression_attribute_names("#name", "name")
            .expression_attribute_values(":name", s(new_name))
            .expression_attribute_values(":claims", Self::to_attribute(&new_claims)?)
            .expression_attribute_values(":anyTime", AttributeValue::Bool(any_time))
            .expression_attribute_values(":approval", AttributeValue::Bool(need_approval))
            .expression_attribute_values(":threshold", Self::to_attribute(&threshold)?)
            .expression_attribute_values(":version", n(record.version))
            .expression_attribute_values(":next", n(record.version + 1));
        let order = record.gsi1pk.as_ref().map(|_| keys::organisation_order(new_name, &record.code));
        if let Some(order) = &order {
            update = update
                .update_expression(format!("{set}, GSI1SK = :order"))
                .expression_attribute_values(":order", s(order));
        }
        let audit = AuditEntry {
            actor,
            action: AuditAction::OrganisationUpdated,
            target: keys::organisation(&record.code),
            organisation: &record.code,
            before: Some(json!({"name": record.name, "claimSubmission": record.claim_submission,
                "claimsAnyTime": record.claims_any_time, "claimsNeedApproval": record.claims_need_approval,
                "financeThreshold": record.finance_threshold})),
            after: Some(json!({"name": new_name, "claimSubmission": new_claims, "claimsAnyTime": any_time,
                "claimsNeedApproval": need_approval, "financeThreshold": threshold})),
        }
        .record(now);
        self.transact(vec![Self::built(update)?, self.put(&audit, true)?]).await.map_err(|failure| {
            failure.into_conflict(
                ConflictKind::AlreadyChanged,
                "Someone else changed this organisation at the same moment. Refresh and try again",
            )
        })?;
        Ok(OrganisationRecord {
            name: new_name.to_string(),
            claim_submission: new_claims,
            claims_any_time: any_time,
            claims_need_approval: need_approval,
            finance_threshold: threshold,
            version: record.version + 1,
            gsi1sk: order.or_else(|| record.gsi1sk.clone()),
            ..record.clone()
        })
    }

    /// One page of a commissioner's providers, by name.
    pub async fn providers_of(
        &self, commissioner: &OdsCode, limit: i32, cursor_text: Option<&str>,
    ) -> Result<Page<OrganisationRecord>, AppError> {
        self.organisations_in(&keys::providers_of(commissioner), limit, cursor_text).await
    }

    /// One page of the commissioners, by name (the Service Desk's list).
    pub async fn commissioners(
        &self, limit: i32, cursor_text: Option<&str>,
    ) -> Result<Page<OrganisationRecord>, AppError> {
        self.organisations_in(keys::COMMISSIONERS, limit, cursor_text).await
    }

    async fn organisations_in(
        &self, list: &str, limit: i32, cursor_text: Option<&str>,
    ) -> Result<Page<OrganisationRecord>, AppError> {
        let list = IndexList {
            listing: "organisations",
            index: keys::GSI1,
            sort_key: keys::GSI1SK,
            partition: list,
            prefix: None,
            ascending: true,
        };
        self.index_page(&list, limit, cursor_text).await
    }
}
