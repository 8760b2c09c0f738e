//! Audit entries, written in the same transaction as the change they record.

use super::records::AuditRecord;
use super::{cursor, keys, s, Page, Store};
use crate::domain::audit_action::AuditAction;
use crate::domain::audit_query::AuditQuery;
use crate::domain::ods::OdsCode;
use crate::domain::timestamp::Timestamp;
use crate::error::{dependency, AppError};
use serde_json::Value;

pub struct AuditEntry<'a> {
    pub actor: &'a str,
    pub action: AuditAction,
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
            action: self.action.as_str().to_string(),
            target: self.target,
            organisation_code: self.organisation.clone(),
            before: self.before,
            after: self.after,
            about: None,
            gsi1pk: None,
            gsi1sk: None,
            gsi4pk: None,
            gsi4sk: None,
            gsi6pk: None,
            gsi6sk: None,
        }
        .indexed()
    }
}

impl AuditRecord {
    /// The same entry in another organisation's trail too: a change made by
    /// one organisation's staff to another's record (a commissioner's reviewer
    /// deciding a practice's claim) is in both, so each can review it.
    pub(crate) fn also_filed_under(&self, organisation: &OdsCode) -> Option<Self> {
        (organisation != &self.organisation_code).then(|| {
            AuditRecord { pk: keys::audit(organisation), organisation_code: organisation.clone(), ..self.clone() }
                .indexed()
        })
    }

    pub(crate) fn about(mut self, user_id: &str) -> Self {
        self.about = Some(user_id.to_string());
        self.indexed()
    }

    /// Puts the entry on the indexes the trail's filters read: by the person
    /// it is about (`about`, or a person as its target), by who did it, by action.
    fn indexed(mut self) -> Self {
        let organisation = &self.organisation_code;
        let subject = self.about.as_deref().or_else(|| self.target.strip_prefix(keys::user("").as_str()));
        self.gsi1pk = subject.map(|person| keys::audit_about(organisation, person));
        self.gsi1sk = self.gsi1pk.as_ref().map(|_| self.sk.clone());
        self.gsi4pk = Some(keys::audit_by(organisation, &self.actor));
        self.gsi4sk = Some(self.sk.clone());
        self.gsi6pk = Some(keys::audit_action(organisation, &self.action));
        self.gsi6sk = Some(self.sk.clone());
        self
    }
}

/// Where a page of the trail is read from: the organisation's partition, or
/// one index partition (by person or action), newest first.
struct Stream {
    index: Option<&'static str>,
    key: (&'static str, String),
    sort_key: &'static str,
    /// Only for a person and an action together: the action, filtered.
    action: Option<AuditAction>,
}

/// What a stream gave: its entries, and for a filtered one stopped by its read
/// budget, the sort key it read down to (nothing below it is known yet).
struct Read {
    items: Vec<AuditRecord>,
    stopped_at: Option<String>,
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
    /// person (as actor or subject), action and time. Each filter reads its
    /// own index, so a page is one query (two, merged, for a person: the
    /// entries about them and those by them) and is never empty while
    /// matches remain; only a person and an action together are filtered
    /// as read, within a bounded read budget. The cursor is the sort key of
    /// the page's last entry, so it serves every index alike.
    pub async fn audit_trail(
        &self, organisation: &OdsCode, query: &AuditQuery, limit: i32, cursor_text: Option<&str>,
    ) -> Result<Page<AuditRecord>, AppError> {
        let partition = keys::audit(organisation);
        let before = cursor_text
            .map(|c| cursor::decode(self.cursor_key(), c, "audit", &[keys::PK, keys::SK], (keys::PK, &partition)))
            .transpose()?
            .and_then(|key| key.get(keys::SK).and_then(|v| v.as_s().ok()).cloned());
        let from = query.from.map(keys::instant).unwrap_or_else(|| "0".to_string());
        let until = query.until.map(keys::instant).unwrap_or_else(|| "9".to_string());
        // Inclusive, so the cursor's own entry is read again and dropped below.
        let upper = match &before {
            Some(sk) if sk.as_str() < until.as_str() => sk.clone(),
            _ => until,
        };
        let streams = match (&query.user, &query.action) {
            (None, None) => {
                vec![Stream { index: None, key: (keys::PK, partition.clone()), sort_key: keys::SK, action: None }]
            }
            (None, Some(action)) => vec![Stream {
                index: Some(keys::GSI6),
                key: (keys::GSI6PK, keys::audit_action(organisation, action.as_str())),
                sort_key: keys::GSI6SK,
                action: None,
            }],
            (Some(user), action) => vec![
                Stream {
                    index: Some(keys::GSI1),
                    key: (keys::GSI1PK, keys::audit_about(organisation, user)),
                    sort_key: keys::GSI1SK,
                    action: *action,
                },
                Stream {
                    index: Some(keys::GSI4),
                    key: (keys::GSI4PK, keys::audit_by(organisation, user)),
                    sort_key: keys::GSI4SK,
                    action: *action,
                },
            ],
        };
        let wanted = usize::try_from(limit).unwrap_or(20).max(1);
        let reads = streams.iter().map(|stream| self.read_stream(stream, &from, &upper, wanted + 2));
        let reads = futures::future::try_join_all(reads).await?;
        // Below the lowest point a budget-stopped stream reached, entries may be missing: stop there.
        let floor = reads.iter().filter_map(|r| r.stopped_at.clone()).max();
        let mut items: Vec<AuditRecord> = reads.into_iter().flat_map(|r| r.items).collect();
        items.sort_by(|a, b| b.sk.cmp(&a.sk));
        items.dedup_by(|a, b| a.sk == b.sk);
        items.retain(|item| before.as_ref().is_none_or(|b| &item.sk < b));
        items.retain(|item| floor.as_ref().is_none_or(|f| &item.sk >= f));
        let more = items.len() > wanted || floor.is_some();
        items.truncate(wanted);
        let last = match (items.last(), &floor) {
            (Some(item), _) => Some(item.sk.clone()),
            (None, floor) => floor.clone(),
        };
        let next_cursor = last.filter(|_| more).and_then(|sk| {
            let key =
                std::collections::HashMap::from([(keys::PK.to_string(), s(&partition)), (keys::SK.to_string(), s(sk))]);
            cursor::encode(self.cursor_key(), "audit", &partition, &key)
        });
        Ok(Page { items, next_cursor })
    }

    /// Up to `wanted` entries of one stream at or below `upper`, newest first
    /// (`Store::list_page`, which reads a filtered stream until it is full).
    async fn read_stream(&self, stream: &Stream, from: &str, upper: &str, wanted: usize) -> Result<Read, AppError> {
        let mut request = self
            .client()
            .query()
            .table_name(self.table())
            .set_index_name(stream.index.map(str::to_string))
            .key_condition_expression("#pk = :pk AND #sk BETWEEN :from AND :upper")
            .expression_attribute_names("#pk", stream.key.0)
            .expression_attribute_names("#sk", stream.sort_key)
            .expression_attribute_values(":pk", s(&stream.key.1))
            .expression_attribute_values(":from", s(from))
            .expression_attribute_values(":upper", s(upper))
            .scan_index_forward(false);
        if let Some(action) = &stream.action {
            request = request
                .filter_expression("#action = :action")
                .expression_attribute_names("#action", "action")
                .expression_attribute_values(":action", s(action.as_str()));
        }
        let key_names = [keys::PK, keys::SK, stream.key.0, stream.sort_key];
        let limit = i32::try_from(wanted).unwrap_or(i32::MAX);
        let (found, next) = self.list_page(&request, &key_names, None, limit, "reading the audit trail").await?;
        // A filtered read that ran out of its budget before filling the page
        // knows nothing below where it stopped.
        let stopped_at = match (&stream.action, found.len() < wanted) {
            (Some(_), true) => next.and_then(|key| key.get(stream.sort_key).and_then(|v| v.as_s().ok()).cloned()),
            _ => None,
        };
        let items = found.into_iter().map(Self::from_item).collect::<Result<_, _>>()?;
        Ok(Read { items, stopped_at })
    }
}
