//! Audit entries, written in the same transaction as the change they record.

use super::keys;
use super::records::AuditRecord;
use crate::domain::ods::OdsCode;
use jiff::Timestamp;
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
    pub fn record(self, at: Timestamp) -> AuditRecord {
        let id = uuid::Uuid::now_v7().to_string();
        let at = keys::instant(at);
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
        }
    }
}
