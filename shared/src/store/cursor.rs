//! Opaque page cursors: the last key of a page, base64url-encoded. The partition
//! is never taken from a cursor, so a forged one cannot reach another list.

use crate::error::AppError;
use aws_sdk_dynamodb::types::AttributeValue;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

#[derive(Serialize, Deserialize)]
struct CursorBody {
    /// Which listing made it, so a cursor from another sort is refused.
    l: String,
    k: BTreeMap<String, String>,
}

pub fn encode(listing: &str, last_key: &HashMap<String, AttributeValue>) -> Option<String> {
    let k: BTreeMap<String, String> =
        last_key.iter().filter_map(|(name, value)| value.as_s().ok().map(|s| (name.clone(), s.clone()))).collect();
    let json = serde_json::to_vec(&CursorBody { l: listing.to_string(), k }).ok()?;
    Some(URL_SAFE_NO_PAD.encode(json))
}

/// Decodes a cursor for `listing`, keeping only `allowed` attributes and pinning the partition.
pub fn decode(
    cursor: &str,
    listing: &str,
    allowed: &[&str],
    partition: (&str, &str),
) -> Result<HashMap<String, AttributeValue>, AppError> {
    let invalid =
        || AppError::invalid_field("cursor", "This page link is no longer valid: start again from the first page");
    let bytes = URL_SAFE_NO_PAD.decode(cursor.as_bytes()).map_err(|_| invalid())?;
    let body: CursorBody = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if body.l != listing || body.k.keys().any(|k| !allowed.contains(&k.as_str())) || body.k.len() != allowed.len() {
        return Err(invalid());
    }
    let mut key: HashMap<String, AttributeValue> =
        body.k.into_iter().map(|(name, value)| (name, AttributeValue::S(value))).collect();
    key.insert(partition.0.to_string(), AttributeValue::S(partition.1.to_string()));
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(pairs: &[(&str, &str)]) -> HashMap<String, AttributeValue> {
        pairs.iter().map(|(k, v)| (k.to_string(), AttributeValue::S(v.to_string()))).collect()
    }

    #[test]
    fn round_trips_and_pins_the_partition() {
        let last = key(&[("PK", "a"), ("SK", "b"), ("GSI1PK", "PENDING#ORG#QHM"), ("GSI1SK", "c")]);
        let cursor = encode("date", &last).unwrap();
        let allowed = ["PK", "SK", "GSI1PK", "GSI1SK"];
        let decoded = decode(&cursor, "date", &allowed, ("GSI1PK", "PENDING#ORG#QOQ")).unwrap();
        assert_eq!(decoded["GSI1PK"], AttributeValue::S("PENDING#ORG#QOQ".into()));
        assert_eq!(decoded["SK"], AttributeValue::S("b".into()));
    }

    #[test]
    fn refuses_garbage_and_cursors_from_another_listing() {
        let allowed = ["PK", "SK"];
        assert!(decode("not base64!", "date", &allowed, ("GSI1PK", "x")).is_err());
        let cursor = encode("name", &key(&[("PK", "a"), ("SK", "b")])).unwrap();
        assert!(decode(&cursor, "date", &allowed, ("GSI1PK", "x")).is_err());
        let extra = encode("date", &key(&[("PK", "a"), ("SK", "b"), ("other", "c")])).unwrap();
        assert!(decode(&extra, "date", &allowed, ("GSI1PK", "x")).is_err());
    }
}
