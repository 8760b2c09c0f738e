//! Changes sent with an `Idempotency-Key`: a marker written in the change's
//! own transaction names the request the key was sent with, so the same
//! request sent again — its answer lost, or its function ended after the
//! change — is known for a retry and finished, never refused nor done twice,
//! and the key sent with another request is refused.

use super::{keys, Store};
use crate::domain::timestamp::Timestamp;
use crate::error::AppError;
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyUse {
    /// Never: the change is to be made.
    New,
    /// For this very request, which changed what it changes: finish it.
    ThisRequest,
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
    /// The request, in words ("submit claim 1234"); absent on a +New Claim marker.
    #[serde(default)]
    request: Option<String>,
    ttl: i64,
}

impl Store {
    /// What `sender`'s key was used for, judged against `request`.
    pub async fn key_use(&self, sender: Sender<'_>, request: &str) -> Result<KeyUse, AppError> {
        let Some(key) = sender.key else { return Ok(KeyUse::New) };
        let marker: Option<RequestMarker> = self.get(keys::idempotency(sender.user_id, key), keys::IDEMPOTENCY).await?;
        Ok(match marker {
            None => KeyUse::New,
            Some(marker) if marker.request.as_deref() == Some(request) => KeyUse::ThisRequest,
            Some(_) => KeyUse::AnotherRequest,
        })
    }

    /// The marker for `request`, to be written with the change it names (only
    /// if the key is new); nothing when no key was sent.
    pub(crate) fn request_marker(
        &self, sender: Sender<'_>, request: &str, now: Timestamp,
    ) -> Result<Option<TransactWriteItem>, AppError> {
        let Some(key) = sender.key else { return Ok(None) };
        let marker = RequestMarker {
            pk: keys::idempotency(sender.user_id, key),
            sk: keys::IDEMPOTENCY.into(),
            request: Some(request.to_string()),
            ttl: now.as_second() + KEPT_FOR_SECONDS,
        };
        self.put(&marker, true).map(Some)
    }
}
