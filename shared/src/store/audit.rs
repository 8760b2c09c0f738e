//! Audit entries, written in the same transaction as the change they record.

use super::records::AuditRecord;
use super::{cursor, keys, s, Page, Store};
use crate::domain::audit_query::AuditQuery;
use crate::domain::ods::OdsCode;
use crate::domain::timestamp::Timestamp;
use crate::error::{dependency, AppError};
use serde_json::Value;

pub struct AuditEntry<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub target: String,
    pub organisation: &'a OdsCode,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

impl AuditEntry<'_> {
    pub(crate) fn record(self, at: Timestamp) -> AuditRecord {
        let id = uuid::Uuid::now_v7().to_string();
        AuditRecord {
            pk: keys::audit(self.organisation),
            sk: format!("{at}#{id}"),
            id,
            at,
            actor: self.actor.to_string(),
            action: self.action.to_string(),
            target: self.target,
            organisation_code: self.organisation.clone(),
            before: self.before,
            after: self.after,
            about: None,
        }
    }
}

impl AuditRecord {
    pub(crate) fn about(mut self, user_id: &str) -> Self {
        self.about = Some(user_id.to_string());
        self
    }
}

impl Store {
    /// An audit entry for something that changes nothing else (a download, an
    /// export), written on its own before the thing is handed over.
    pub(crate) async fn record_alone(&self, audit: &AuditRecord, doing: &'static str) -> Result<(), AppError> {
        self.client()
            .put_item()
            .table_name(self.table())
            .set_item(Some(Self::to_item(audit)?))
            .send()
            .await
            .map_err(dependency(doing))?;
        Ok(())
    }

    /// One page of an organisation's audit trail, newest first, filtered by
    /// person (as actor or subject), action and time.
    pub async fn audit_trail(
        &self,
        organisation: &OdsCode,
        query: &AuditQuery,
        limit: i32,
        cursor_text: Option<&str>,
    ) -> Result<Page<AuditRecord>, AppError> {
        let partition = keys::audit(organisation);
        let start = cursor_text
            .map(|c| cursor::decode(c, "audit", &[keys::PK, keys::SK], (keys::PK, &partition)))
            .transpose()?;
        let from = query.from.map(keys::instant).unwrap_or_else(|| "0".to_string());
        let until = query.until.map(keys::instant).unwrap_or_else(|| "9".to_string());
        let mut filters = Vec::new();
        if query.user.is_some() {
            filters.push("(actor = :user OR target = :user_key OR about = :user)");
        }
        if query.action.is_some() {
            filters.push("#action = :action");
        }
        let mut request = self
            .client()
            .query()
            .table_name(self.table())
            .key_condition_expression("PK = :pk AND SK BETWEEN :from AND :until")
            .expression_attribute_values(":pk", s(&partition))
            .expression_attribute_values(":from", s(&from))
            .expression_attribute_values(":until", s(&until))
            .scan_index_forward(false);
        if let Some(user) = &query.user {
            request = request
                .expression_attribute_values(":user", s(user))
                .expression_attribute_values(":user_key", s(keys::user(user)));
        }
        if let Some(action) = &query.action {
            request = request
                .expression_attribute_names("#action", "action")
                .expression_attribute_values(":action", s(action));
        }
        if !filters.is_empty() {
            request = request.filter_expression(filters.join(" AND "));
        }
        let (found, start) =
            self.list_page(&request, &[keys::PK, keys::SK], start, limit, "reading the audit trail").await?;
        let items = found.into_iter().map(Self::from_item).collect::<Result<Vec<AuditRecord>, _>>()?;
        let next_cursor = start.as_ref().and_then(|key| cursor::encode("audit", key));
        Ok(Page { items, next_cursor })
    }
}
