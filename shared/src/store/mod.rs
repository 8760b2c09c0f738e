//! DynamoDB adapter: one table, keys from `keys`, every change in one transaction
//! with its audit entry.

pub mod access_requests;
pub mod accounts;
pub mod audit;
pub mod bulk_claims;
pub mod catalogue;
pub mod claims;
pub mod components;
pub(crate) mod cursor;

pub use cursor::CursorKey;
pub mod invitations;
pub(crate) mod keys;
pub mod mail_ledger;
pub mod offers;
pub mod organisations;
pub mod payments;
pub mod records;
pub mod registrations;
pub mod requests;
pub mod totals;
pub mod users;
pub mod windows;

use crate::error::ConflictKind;
use crate::error::{dependency, AppError};
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::{AttributeValue, Put, TransactWriteItem};
use aws_sdk_dynamodb::Client;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::collections::HashMap;

pub type Item = HashMap<String, AttributeValue>;

/// How far a filtered list reads for one page (`Store::list_page`): a
/// thousand items a read (DynamoDB answers at most 1 MB, some 2,000 audit
/// entries) so one read usually fills a page, five at most.
const FILTERED_READS: usize = 5;
const FILTERED_READ_SIZE: i32 = 1000;

/// The key attributes of `item` named in `names` (a cursor's position).
pub(crate) fn key_of(item: &Item, names: &[&str]) -> Item {
    names.iter().filter_map(|name| item.get(*name).map(|v| (name.to_string(), v.clone()))).collect()
}

/// One page of a list, with the cursor for the next one.
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// A list read from one partition of a secondary index, in sort-key order.
pub(crate) struct IndexList<'a> {
    /// Names the list inside its cursors, so one list's cursor is refused by another.
    pub listing: &'a str,
    pub index: &'a str,
    pub sort_key: &'a str,
    /// The `GSI1PK` value; never taken from a cursor.
    pub partition: &'a str,
    /// Only sort keys starting with this, if given.
    pub prefix: Option<&'a str>,
    pub ascending: bool,
}

#[derive(Clone)]
pub struct Store {
    /// Built on first use: making a client loads the system's TLS roots, which
    /// a request that never reaches DynamoDB (a refusal) should not wait for.
    client: std::sync::Arc<std::sync::OnceLock<Client>>,
    config: aws_sdk_dynamodb::Config,
    table: String,
    cursor_key: cursor::CursorKey,
}

/// Whether a conditional update was applied (false: its condition no longer
/// held — the item moved on or is gone); any other failure is an error.
pub(crate) fn applied(
    result: Result<
        aws_sdk_dynamodb::operation::update_item::UpdateItemOutput,
        SdkError<
            aws_sdk_dynamodb::operation::update_item::UpdateItemError,
            aws_sdk_dynamodb::config::http::HttpResponse,
        >,
    >,
    doing: &'static str,
) -> Result<bool, AppError> {
    match result {
        Ok(_) => Ok(true),
        Err(SdkError::ServiceError(e)) if e.err().is_conditional_check_failed_exception() => Ok(false),
        Err(other) => Err(dependency(doing)(other)),
    }
}

/// How many times a transaction lost only to another is sent again.
const CONTENDED_RETRIES: u32 = 4;

/// Why a transaction did not commit.
#[derive(Debug)]
pub enum TransactFailure {
    /// The conditions at these positions were false: the state moved on.
    ConditionFailed(Vec<usize>),
    /// Another transaction was changing the same items at that moment.
    Contended,
    Other(AppError),
}

impl Store {
    pub fn new(config: aws_sdk_dynamodb::Config, table: String, cursor_key: CursorKey) -> Self {
        Self { client: Default::default(), config, table, cursor_key }
    }

    /// What list cursors are signed with.
    pub(crate) fn cursor_key(&self) -> &CursorKey {
        &self.cursor_key
    }

    pub(crate) fn client(&self) -> &Client {
        self.client.get_or_init(|| Client::from_conf(self.config.clone()))
    }

    /// A query of one `GSI1` list (`GSI1PK = partition`), to be narrowed further.
    pub(crate) fn gsi1_query(
        &self, partition: impl Into<String>,
    ) -> aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder {
        self.client()
            .query()
            .table_name(self.table())
            .index_name(keys::GSI1)
            .key_condition_expression("GSI1PK = :pk")
            .expression_attribute_values(":pk", s(partition))
    }

    pub(crate) fn table(&self) -> &str {
        &self.table
    }

    pub(crate) fn to_item<T: Serialize>(record: &T) -> Result<Item, AppError> {
        serde_dynamo::to_item(record).map_err(|e| AppError::Internal(format!("encoding item: {e}")))
    }

    pub(crate) fn to_attribute<T: Serialize>(value: &T) -> Result<AttributeValue, AppError> {
        serde_dynamo::to_attribute_value(value).map_err(|e| AppError::Internal(format!("encoding value: {e}")))
    }

    pub(crate) fn from_item<T: DeserializeOwned>(item: Item) -> Result<T, AppError> {
        serde_dynamo::from_item(item).map_err(|e| AppError::Internal(format!("decoding item: {e}")))
    }

    /// A Put for a transaction, optionally only if the item does not exist yet.
    pub(crate) fn put<T: Serialize>(&self, record: &T, only_if_new: bool) -> Result<TransactWriteItem, AppError> {
        let mut put = Put::builder().table_name(&self.table).set_item(Some(Self::to_item(record)?));
        if only_if_new {
            put = put.condition_expression("attribute_not_exists(PK)");
        }
        let put = put.build().map_err(|e| AppError::Internal(format!("building put: {e}")))?;
        Ok(TransactWriteItem::builder().put(put).build())
    }

    /// A Delete for a transaction.
    pub(crate) fn delete_item(&self, pk: String, sk: String) -> Result<TransactWriteItem, AppError> {
        let delete = aws_sdk_dynamodb::types::Delete::builder()
            .table_name(&self.table)
            .set_key(Some(Self::key(pk, sk)))
            .build()
            .map_err(|e| AppError::Internal(format!("building delete: {e}")))?;
        Ok(TransactWriteItem::builder().delete(delete).build())
    }

    pub(crate) fn built(
        update: aws_sdk_dynamodb::types::builders::UpdateBuilder,
    ) -> Result<TransactWriteItem, AppError> {
        let update = update.build().map_err(|e| AppError::Internal(format!("building update: {e}")))?;
        Ok(TransactWriteItem::builder().update(update).build())
    }

    pub(crate) fn key(pk: String, sk: impl Into<String>) -> Item {
        HashMap::from([
            (keys::PK.to_string(), AttributeValue::S(pk)),
            (keys::SK.to_string(), AttributeValue::S(sk.into())),
        ])
    }

    pub(crate) async fn get<T: DeserializeOwned>(
        &self, pk: String, sk: impl Into<String>,
    ) -> Result<Option<T>, AppError> {
        let output = self
            .client()
            .get_item()
            .table_name(&self.table)
            .set_key(Some(Self::key(pk, sk)))
            .consistent_read(true)
            .send()
            .await
            .map_err(dependency("reading from the table"))?;
        output.item.map(Self::from_item).transpose()
    }

    /// One page of an index list.
    pub(crate) async fn index_page<T: DeserializeOwned>(
        &self, list: &IndexList<'_>, limit: i32, cursor_text: Option<&str>,
    ) -> Result<Page<T>, AppError> {
        let start = cursor_text
            .map(|c| {
                cursor::decode(
                    self.cursor_key(),
                    c,
                    list.listing,
                    &[keys::PK, keys::SK, keys::GSI1PK, list.sort_key],
                    (keys::GSI1PK, list.partition),
                )
            })
            .transpose()?;
        let mut query = self
            .client()
            .query()
            .table_name(&self.table)
            .index_name(list.index)
            .key_condition_expression("GSI1PK = :pk")
            .expression_attribute_values(":pk", s(list.partition));
        if let Some(prefix) = list.prefix {
            query = query
                .key_condition_expression("GSI1PK = :pk AND begins_with(#sk, :prefix)")
                .expression_attribute_names("#sk", list.sort_key)
                .expression_attribute_values(":prefix", s(prefix));
        }
        let output = query
            .scan_index_forward(list.ascending)
            .limit(limit)
            .set_exclusive_start_key(start)
            .send()
            .await
            .map_err(dependency("reading a list"))?;
        let items =
            output.items.unwrap_or_default().into_iter().map(Self::from_item::<T>).collect::<Result<Vec<_>, _>>()?;
        let next_cursor = output
            .last_evaluated_key
            .as_ref()
            .and_then(|key| cursor::encode(self.cursor_key(), list.listing, list.partition, key));
        Ok(Page { items, next_cursor })
    }

    /// Every item a query finds, across all its pages. (A plain loop: the SDK's
    /// paginator stream nests so deeply that callers' futures overflow the
    /// compiler's query depth.)
    pub(crate) async fn query_all<T: DeserializeOwned>(
        &self, query: aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder, what: &str,
    ) -> Result<Vec<T>, AppError> {
        // Its own loop rather than `query_items` and a map: one more nested
        // future here overflows the compiler's query depth in the scheduled functions.
        let mut found = Vec::new();
        let mut start = None;
        loop {
            let output = query.clone().set_exclusive_start_key(start).send().await.map_err(dependency(what))?;
            for item in output.items.unwrap_or_default() {
                found.push(Self::from_item(item)?);
            }
            start = output.last_evaluated_key;
            if start.is_none() {
                return Ok(found);
            }
        }
    }

    /// Every item a query finds, as stored (for partitions that hold several kinds).
    pub(crate) async fn query_items(
        &self, query: aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder, what: &str,
    ) -> Result<Vec<Item>, AppError> {
        let mut found = Vec::new();
        let mut start = None;
        loop {
            let output = query.clone().set_exclusive_start_key(start).send().await.map_err(dependency(what))?;
            found.extend(output.items.unwrap_or_default());
            start = output.last_evaluated_key;
            if start.is_none() {
                return Ok(found);
            }
        }
    }

    /// One page of a list query and the key to start the next from. Without a
    /// filter, one read of `limit` items. With one (DynamoDB applies `Limit`
    /// before the filter) it reads up to `FILTERED_READS` times
    /// `FILTERED_READ_SIZE` items, stops once `limit` match, and its cursor is
    /// the key of the last item it answers with: a page is empty only when
    /// nothing matches in the next five thousand items, and never skips a match.
    pub(crate) async fn list_page(
        &self, query: &aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder, key_names: &[&str],
        mut start: Option<Item>, limit: i32, what: &str,
    ) -> Result<(Vec<Item>, Option<Item>), AppError> {
        if query.get_filter_expression().is_none() {
            let output = query.clone().limit(limit).set_exclusive_start_key(start).send().await;
            let output = output.map_err(dependency(what))?;
            return Ok((output.items.unwrap_or_default(), output.last_evaluated_key));
        }
        let wanted = usize::try_from(limit).unwrap_or(20).max(1);
        let mut found: Vec<Item> = Vec::new();
        let mut next = None;
        for _ in 0..FILTERED_READS {
            let read = query.clone().limit(FILTERED_READ_SIZE.max(limit)).set_exclusive_start_key(start.take());
            let output = read.send().await.map_err(dependency(what))?;
            let mut page = output.items.unwrap_or_default();
            let room = wanted - found.len();
            if page.len() >= room {
                // Full: the next page starts after the last item answered, if anything may follow it.
                let more = page.len() > room || output.last_evaluated_key.is_some();
                page.truncate(room);
                found.extend(page);
                next = if more { found.last().map(|item| key_of(item, key_names)) } else { None };
                break;
            }
            found.extend(page);
            next = output.last_evaluated_key;
            if next.is_none() {
                break;
            }
            start = next.clone();
        }
        Ok((found, next))
    }

    /// Every item of one partition whose sort key starts with `prefix`, in order.
    pub(crate) async fn items_with_prefix<T: DeserializeOwned>(
        &self, pk: &str, prefix: &str,
    ) -> Result<Vec<T>, AppError> {
        let query = self
            .client()
            .query()
            .table_name(&self.table)
            .key_condition_expression("PK = :pk AND begins_with(SK, :prefix)")
            .expression_attribute_values(":pk", s(pk))
            .expression_attribute_values(":prefix", s(prefix))
            .consistent_read(true);
        self.query_all(query, "reading from the table").await
    }

    /// Items by (PK, SK) in batches of 100, each key once, retrying what
    /// DynamoDB leaves unprocessed; missing items are simply absent.
    pub(crate) async fn batch_get<T: DeserializeOwned>(
        &self, mut keys: Vec<(String, String)>,
    ) -> Result<Vec<T>, AppError> {
        keys.sort();
        keys.dedup();
        let mut found = Vec::new();
        for chunk in keys.chunks(100) {
            let mut request: Vec<Item> = chunk.iter().map(|(pk, sk)| Self::key(pk.clone(), sk.clone())).collect();
            for _ in 0..5 {
                if request.is_empty() {
                    break;
                }
                let keys_and_attributes = aws_sdk_dynamodb::types::KeysAndAttributes::builder()
                    .set_keys(Some(std::mem::take(&mut request)))
                    .consistent_read(true)
                    .build()
                    .map_err(|e| AppError::Internal(format!("building batch read: {e}")))?;
                let output = self
                    .client()
                    .batch_get_item()
                    .request_items(&self.table, keys_and_attributes)
                    .send()
                    .await
                    .map_err(dependency("reading from the table"))?;
                for item in output.responses.unwrap_or_default().remove(&self.table).unwrap_or_default() {
                    found.push(Self::from_item(item)?);
                }
                request = output
                    .unprocessed_keys
                    .and_then(|mut unprocessed| unprocessed.remove(&self.table))
                    .map(|k| k.keys)
                    .unwrap_or_default();
            }
            if !request.is_empty() {
                return Err(AppError::Dependency("the table is too busy to read everything: try again".into()));
            }
        }
        Ok(found)
    }

    /// Writes all or nothing. A transaction cancelled only because another was
    /// changing the same items (a report total, say), or because DynamoDB was
    /// throttling one of its items, changed nothing, so it is sent again a few
    /// times, a little later each time, before giving up: lost to another, it
    /// is a conflict (409); still throttled, the service is busy (503).
    pub(crate) async fn transact(&self, items: Vec<TransactWriteItem>) -> Result<(), TransactFailure> {
        let mut attempt = 0u32;
        loop {
            let outcome = self.transact_once(items.clone()).await;
            let again =
                matches!(outcome, Err(Attempt::Throttled(_)) | Err(Attempt::Failed(TransactFailure::Contended)));
            if again && attempt < CONTENDED_RETRIES {
                attempt += 1;
                let pause = 15 * 2u64.pow(attempt) + rand::random_range(0..15);
                tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                continue;
            }
            return match outcome {
                Ok(()) => Ok(()),
                Err(Attempt::Failed(failure)) => Err(failure),
                Err(Attempt::Throttled(reasons)) => {
                    Err(TransactFailure::Other(AppError::Dependency(format!("transaction throttled: {reasons}"))))
                }
            };
        }
    }

    async fn transact_once(&self, items: Vec<TransactWriteItem>) -> Result<(), Attempt> {
        let result = self.client().transact_write_items().set_transact_items(Some(items)).send().await;
        match result {
            Ok(_) => Ok(()),
            Err(SdkError::ServiceError(service)) if service.err().is_transaction_canceled_exception() => {
                let reasons = match service.err() {
                    aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError::TransactionCanceledException(e) => {
                        e.cancellation_reasons().to_vec()
                    }
                    _ => Vec::new(),
                };
                let failed: Vec<usize> = reasons
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| r.code() == Some("ConditionalCheckFailed"))
                    .map(|(i, _)| i)
                    .collect();
                let codes = || format!("{:?}", reasons.iter().map(|r| r.code().unwrap_or("?")).collect::<Vec<_>>());
                if !failed.is_empty() {
                    Err(Attempt::Failed(TransactFailure::ConditionFailed(failed)))
                } else if reasons.iter().any(|r| r.code() == Some("TransactionConflict")) {
                    Err(Attempt::Failed(TransactFailure::Contended))
                } else if reasons.iter().any(|r| r.code() == Some("ThrottlingError")) {
                    Err(Attempt::Throttled(codes()))
                } else {
                    Err(Attempt::Failed(TransactFailure::Other(AppError::Dependency(format!(
                        "transaction cancelled: {}",
                        codes()
                    )))))
                }
            }
            Err(SdkError::ServiceError(service)) if service.err().is_transaction_in_progress_exception() => {
                Err(Attempt::Failed(TransactFailure::Contended))
            }
            Err(other) => Err(Attempt::Failed(TransactFailure::Other(dependency("writing to the table")(other)))),
        }
    }
}

/// One try at a transaction, as [`Store::transact`] judges it.
enum Attempt {
    Failed(TransactFailure),
    /// DynamoDB throttled one of its items: nothing was written.
    Throttled(String),
}

impl TransactFailure {
    /// Turns a lost race into the plain 409 the user sees; other failures pass through.
    pub fn into_conflict(self, kind: ConflictKind, detail: &str) -> AppError {
        match self {
            TransactFailure::ConditionFailed(_) => AppError::conflict(kind, detail),
            TransactFailure::Contended => AppError::conflict(
                ConflictKind::ConcurrentUpdate,
                "Someone else was changing this at the same moment. Refresh the page and try again",
            ),
            TransactFailure::Other(error) => error,
        }
    }
}

/// The stored text of a status enum (its serde name).
pub(crate) fn status_value<T: Serialize>(status: T) -> String {
    serde_json::to_value(status).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

impl Store {
    /// A transaction step moving an item's `status` from one value to another,
    /// bumping its version, and setting any `also` attributes; fails if the
    /// status has moved on meanwhile.
    pub(crate) fn status_change<S: Serialize>(
        &self, key: Item, from: S, to: S, at: &str, also: &[(&str, AttributeValue)],
    ) -> Result<TransactWriteItem, AppError> {
        // A null in `also` removes that attribute (a reason that no longer applies).
        let removed = |value: &AttributeValue| matches!(value, AttributeValue::Null(true));
        let extra: String =
            also.iter().filter(|(_, v)| !removed(v)).map(|(name, _)| format!(", {name} = :{name}")).collect();
        let gone: Vec<&str> = also.iter().filter(|(_, v)| removed(v)).map(|(name, _)| *name).collect();
        let remove = if gone.is_empty() { String::new() } else { format!(" REMOVE {}", gone.join(", ")) };
        let mut update = aws_sdk_dynamodb::types::Update::builder()
            .table_name(&self.table)
            .set_key(Some(key))
            .update_expression(format!(
                "SET #status = :to, updatedAt = :at, version = if_not_exists(version, :zero) + :one{extra}{remove}"
            ))
            .condition_expression("#status = :from")
            .expression_attribute_names("#status", "status")
            .expression_attribute_values(":from", s(status_value(from)))
            .expression_attribute_values(":to", s(status_value(to)))
            .expression_attribute_values(":at", s(at))
            .expression_attribute_values(":zero", n(0))
            .expression_attribute_values(":one", n(1));
        for (name, value) in also.iter().filter(|(_, v)| !removed(v)) {
            update = update.expression_attribute_values(format!(":{name}"), value.clone());
        }
        let update = update.build().map_err(|e| AppError::Internal(format!("building update: {e}")))?;
        Ok(TransactWriteItem::builder().update(update).build())
    }
}

pub(crate) fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

pub(crate) fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}
