//! An entry of the audit trail as an administrator reads it: who (by name and
//! email), what, to what (in words), when, and the record before and after.

use crate::domain::timestamp::Timestamp;
use crate::store::records::AuditRecord;
use serde::Serialize;
use serde_json::Value;

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntryView<'a> {
    pub id: &'a str,
    pub at: &'a Timestamp,
    /// A user id, `system` (the service itself) or `public` (someone registering).
    pub actor: &'a str,
    pub actor_name: String,
    pub actor_email: Option<&'a str>,
    pub action: &'a str,
    pub target: &'a str,
    pub target_label: String,
    pub before: Option<&'a Value>,
    pub after: Option<&'a Value>,
}

impl<'a> AuditEntryView<'a> {
    /// `person` is the actor's account, when they have one; `target_label` names what was done to.
    pub fn of(entry: &'a AuditRecord, person: Option<(String, &'a str)>, target_label: String) -> Self {
        let (actor_name, actor_email) = match person {
            Some((name, email)) => (name, Some(email)),
            None => (actor_without_account(&entry.actor).to_string(), None),
        };
        AuditEntryView {
            id: &entry.id,
            at: &entry.at,
            actor: &entry.actor,
            actor_name,
            actor_email,
            action: &entry.action,
            target: &entry.target,
            target_label,
            before: entry.before.as_ref(),
            after: entry.after.as_ref(),
        }
    }
}

/// Who did something the trail records when no account did it.
fn actor_without_account(actor: &str) -> &'static str {
    match actor {
        "system" => "Local Claims",
        "public" => "The person registering",
        _ => "Someone without an account",
    }
}
