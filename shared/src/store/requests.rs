//! Changes sent with an `Idempotency-Key`: a marker written in the change's
//! own transaction names the request the key was sent with, so the same
//! request sent again — its answer lost, or its function ended after the
//! change — is known for a retry and finished, never refused nor done twice,
//! and the key sent with another request is refused.

use super::{keys, Store};
use crate::domain::timestamp::Timestamp;
use crate::error::AppError;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::types::TransactWriteItem;
use serde::{Deserialize, Serialize};

/// How long a key is remembered: a client retries within minutes.
pub(crate) const KEPT_FOR_SECONDS: i64 = 24 * 3600;

/// Who sent a change, and the key they sent with it, if any.
#[derive(Debug, Clone, Copy)]
pub struct Sender<'a> {
    pub user_id: &'a str,
    pub key: Option<&'a str>,
}

/// What a key has been used for before.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyUse {
    /// Never: the change is to be made.
    New,
    /// For this very request, which changed what it changes: finish it (with
    /// the id of what it made, when it made something).
    ThisRequest { made: Option<String> },
    /// For another request: refused.
    AnotherRequest,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RequestMarker {
    #[serde(rename = "PK")]
    pk: String,
    #[serde(rename = "SK")]
    sk: String,
    /// The request, in words ("submit claim 1234").
    #[serde(default)]
    request: Option<String>,
    /// The id of what the request made, for a creating request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    made: Option<String>,
    ttl: i64,
}

impl Store {
    /// What `sender`'s key was used for, judged against `request`.
    pub async fn key_use(&self, sender: Sender<'_>, request: &str) -> Result<KeyUse, AppError> {
        let Some(key) = sender.key else { return Ok(KeyUse::New) };
        let marker: Option<RequestMarker> = self.get(keys::idempotency(sender.user_id, key), keys::IDEMPOTENCY).await?;
        if marker.is_some() {
            crate::edge::aws_calls::note_keyed_repeat();
        }
        Ok(match marker {
            None => KeyUse::New,
            Some(marker) if marker.request.as_deref() == Some(request) => KeyUse::ThisRequest { made: marker.made },
            Some(_) => KeyUse::AnotherRequest,
        })
    }

    /// The marker for `request`, to be written with the change it names (only
    /// if the key is new); nothing when no key was sent. `made`: the id of
    /// what a creating request makes.
    pub(crate) fn request_marker(
        &self, sender: Sender<'_>, request: &str, made: Option<&str>, now: Timestamp,
    ) -> Result<Option<TransactWriteItem>, AppError> {
        let Some(key) = sender.key else { return Ok(None) };
        let marker = RequestMarker {
            pk: keys::idempotency(sender.user_id, key),
            sk: keys::IDEMPOTENCY.into(),
            request: Some(request.to_string()),
            made: made.map(str::to_string),
            ttl: now.as_second() + KEPT_FOR_SECONDS,
        };
        self.put(&marker, true).map(Some)
    }
}

/// A creating request as its `Idempotency-Key` remembers it: who sent it, and
/// what it asked (the route and its body's fingerprint).
#[derive(Debug, Clone)]
pub struct Keyed<'a> {
    pub sender: Sender<'a>,
    pub request: String,
}

impl<'a> Keyed<'a> {
    /// `route`, e.g. "POST /services", with what the body asks.
    pub fn new(user_id: &'a str, key: Option<&'a str>, route: &str, fingerprint: &str) -> Self {
        Keyed { sender: Sender { user_id, key }, request: format!("{route} {fingerprint}") }
    }

    /// Who sent it with which key, to tag what a request of many writes
    /// makes; none without a key.
    pub fn sent_as(&self) -> Option<String> {
        self.sender.key.map(|key| format!("{}#{key}", self.sender.user_id))
    }
}

impl Store {
    /// The marker a keyed creating request writes with what it makes (`made`: its id).
    pub(crate) fn keyed_marker(
        &self, keyed: Option<&Keyed<'_>>, made: &str, now: Timestamp,
    ) -> Result<Option<TransactWriteItem>, AppError> {
        match keyed {
            Some(keyed) => self.request_marker(keyed.sender, &keyed.request, Some(made), now),
            None => Ok(None),
        }
    }

    /// For a request whose work is many writes (a bulk upload): remembers the
    /// key with this request, or refuses it if it came with another. What the
    /// writes make is tagged with `Keyed::sent_as`, so a retry knows its own.
    pub async fn hold_request(&self, keyed: &Keyed<'_>, now: Timestamp) -> Result<(), AppError> {
        let Some(marker) = held_marker(keyed, now) else { return Ok(()) };
        let put = self
            .client()
            .put_item()
            .table_name(self.table())
            .set_item(Some(Self::to_item(&marker)?))
            .condition_expression(SAME_REQUEST_OR_NONE)
            .expression_attribute_names("#request", "request")
            .expression_attribute_values(":request", super::s(&keyed.request));
        match put.send().await {
            Ok(_) => Ok(()),
            Err(SdkError::ServiceError(e)) if e.err().is_conditional_check_failed_exception() => Err(key_used_before()),
            Err(other) => Err(crate::error::dependency("remembering the request")(other)),
        }
    }

    /// `hold_request` as a step of each of the request's own transactions
    /// (one request of a few transactions, each standing alone): the
    /// transaction is refused at this step if the key came with another
    /// request (`key_refused`). Nothing without a key.
    pub(crate) fn held_step(
        &self, keyed: Option<&Keyed<'_>>, now: Timestamp,
    ) -> Result<Option<TransactWriteItem>, AppError> {
        let Some((keyed, marker)) = keyed.and_then(|k| held_marker(k, now).map(|m| (k, m))) else { return Ok(None) };
        let put = aws_sdk_dynamodb::types::Put::builder()
            .table_name(self.table())
            .set_item(Some(Self::to_item(&marker)?))
            .condition_expression(SAME_REQUEST_OR_NONE)
            .expression_attribute_names("#request", "request")
            .expression_attribute_values(":request", super::s(&keyed.request))
            .build()
            .map_err(|e| AppError::Internal(format!("building the request's marker: {e}")))?;
        Ok(Some(TransactWriteItem::builder().put(put).build()))
    }

    /// Makes what a creating request asks for once per key: `make` (which
    /// writes `keyed_marker` in its transaction) the first time; the same
    /// request sent again — its answer lost, or its function ended — is
    /// answered from what the first made (`found`, given its id), also when
    /// both arrive at once. A key sent with another request is refused. The
    /// key is read only when `make` is refused: a used key's marker always
    /// refuses the transaction, so the first request costs no extra read.
    pub async fn create_once<T, Make, Made, Found, Finding>(
        &self, keyed: &Keyed<'_>, make: Make, found: Found,
    ) -> Result<T, AppError>
    where
        Make: FnOnce() -> Made,
        Made: std::future::Future<Output = Result<T, AppError>>,
        Found: FnOnce(String) -> Finding,
        Finding: std::future::Future<Output = Result<T, AppError>>,
    {
        match make().await {
            Ok(made) => Ok(made),
            // Refused, perhaps for the marker: the same request at the same moment.
            Err(refused) if keyed.sender.key.is_some() => {
                match made_before(self.key_use(keyed.sender, &keyed.request).await?)? {
                    Some(id) => found(id).await,
                    None => Err(refused),
                }
            }
            Err(refused) => Err(refused),
        }
    }
}

/// A held key's marker stands if the key is new or names this very request.
const SAME_REQUEST_OR_NONE: &str = "attribute_not_exists(PK) OR #request = :request";

/// The marker that holds a key for a request of many writes.
fn held_marker(keyed: &Keyed<'_>, now: Timestamp) -> Option<RequestMarker> {
    let key = keyed.sender.key?;
    Some(RequestMarker {
        pk: keys::idempotency(keyed.sender.user_id, key),
        sk: keys::IDEMPOTENCY.into(),
        request: Some(keyed.request.clone()),
        made: None,
        ttl: now.as_second() + KEPT_FOR_SECONDS,
    })
}

/// What a key's first request made is no longer there (deleted since).
pub fn made_is_gone(what: &str) -> AppError {
    AppError::NotFound(format!("The {what} this Idempotency-Key made is no longer there"))
}

/// The key was sent before with another request.
pub fn key_used_before() -> AppError {
    AppError::invalid_field(
        "Idempotency-Key",
        "This key was sent with another request: send a new key with each new request",
    )
}

/// What a creating request sent again with its key made before; a key sent
/// with another request is refused.
pub fn made_before(used: KeyUse) -> Result<Option<String>, AppError> {
    match used {
        KeyUse::New => Ok(None),
        KeyUse::ThisRequest { made: Some(id) } => Ok(Some(id)),
        KeyUse::ThisRequest { made: None } | KeyUse::AnotherRequest => Err(key_used_before()),
    }
}
