//! Opaque page cursors: the last key of a page, base64url-encoded, and an
//! HMAC-SHA256 over the list it belongs to, the partition it was read from
//! (which names the organisation) and that position, under a key the template
//! provisions (`CursorSigningKey`). A cursor that was altered, made up, or
//! taken from another list or organisation fails the check and is refused
//! with a 400; the partition is never taken from a cursor in any case.

use crate::error::AppError;
use aws_lc_rs::hmac;
use aws_sdk_dynamodb::types::AttributeValue;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// The key cursors are signed with, from the process's settings.
#[derive(Clone)]
pub struct CursorKey(hmac::Key);

impl CursorKey {
    pub fn new(secret: &[u8]) -> Self {
        CursorKey(hmac::Key::new(hmac::HMAC_SHA256, secret))
    }
}

impl std::fmt::Debug for CursorKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CursorKey(..)")
    }
}

#[derive(Serialize, Deserialize)]
struct CursorBody {
    k: BTreeMap<String, String>,
}

/// What a cursor's signature covers besides its position.
fn signed(listing: &str, partition: &str, body: &[u8]) -> Vec<u8> {
    [listing.as_bytes(), b"\n", partition.as_bytes(), b"\n", body].concat()
}

/// The cursor for the page after `last_key` of `listing` in `partition`.
pub fn encode(
    key: &CursorKey, listing: &str, partition: &str, last_key: &HashMap<String, AttributeValue>,
) -> Option<String> {
    let k: BTreeMap<String, String> =
        last_key.iter().filter_map(|(name, value)| value.as_s().ok().map(|s| (name.clone(), s.clone()))).collect();
    let body = serde_json::to_vec(&CursorBody { k }).ok()?;
    let tag = hmac::sign(&key.0, &signed(listing, partition, &body));
    Some(format!("{}.{}", URL_SAFE_NO_PAD.encode(&body), URL_SAFE_NO_PAD.encode(tag.as_ref())))
}

/// The position a cursor of `listing` in `partition` (`(attribute, value)`)
/// names, keeping only `allowed` attributes; refused unless its signature
/// holds for this list and partition.
pub fn decode(
    key: &CursorKey, cursor: &str, listing: &str, allowed: &[&str], partition: (&str, &str),
) -> Result<HashMap<String, AttributeValue>, AppError> {
    let invalid = || AppError::Malformed("This page link is not valid here: start again from the first page".into());
    let (body, tag) = cursor.split_once('.').ok_or_else(invalid)?;
    let body = URL_SAFE_NO_PAD.decode(body.as_bytes()).map_err(|_| invalid())?;
    let tag = URL_SAFE_NO_PAD.decode(tag.as_bytes()).map_err(|_| invalid())?;
    hmac::verify(&key.0, &signed(listing, partition.1, &body), &tag).map_err(|_| invalid())?;
    let body: CursorBody = serde_json::from_slice(&body).map_err(|_| invalid())?;
    let well_formed = body.k.len() == allowed.len()
        && body.k.iter().all(|(name, value)| allowed.contains(&name.as_str()) && !value.is_empty());
    if !well_formed {
        return Err(invalid());
    }
    let mut position: HashMap<String, AttributeValue> =
        body.k.into_iter().map(|(name, value)| (name, AttributeValue::S(value))).collect();
    position.insert(partition.0.to_string(), AttributeValue::S(partition.1.to_string()));
    Ok(position)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(pairs: &[(&str, &str)]) -> HashMap<String, AttributeValue> {
        pairs.iter().map(|(k, v)| (k.to_string(), AttributeValue::S(v.to_string()))).collect()
    }

    fn signing() -> CursorKey {
        CursorKey::new(b"a key for the tests")
    }

    #[test]
    fn round_trips_within_its_own_list_and_partition() {
        let last = key(&[("PK", "a"), ("SK", "b"), ("GSI1PK", "PENDING#ORG#QHM"), ("GSI1SK", "c")]);
        let cursor = encode(&signing(), "date", "PENDING#ORG#QHM", &last).unwrap();
        let allowed = ["PK", "SK", "GSI1PK", "GSI1SK"];
        let decoded = decode(&signing(), &cursor, "date", &allowed, ("GSI1PK", "PENDING#ORG#QHM")).unwrap();
        assert_eq!(decoded["GSI1PK"], AttributeValue::S("PENDING#ORG#QHM".into()));
        assert_eq!(decoded["SK"], AttributeValue::S("b".into()));
    }

    #[test]
    fn refuses_a_cursor_forged_altered_or_from_another_list_organisation_or_key() {
        let allowed = ["PK", "SK"];
        let partition = ("PK", "AUDIT#QHM");
        let good = encode(&signing(), "audit", "AUDIT#QHM", &key(&[("PK", "AUDIT#QHM"), ("SK", "b")])).unwrap();
        assert!(decode(&signing(), &good, "audit", &allowed, partition).is_ok());
        let refused = |cursor: &str, listing: &str, partition: (&str, &str), signing: &CursorKey| {
            matches!(decode(signing, cursor, listing, &allowed, partition), Err(AppError::Malformed(_)))
        };
        assert!(refused("not base64!", "audit", partition, &signing()));
        assert!(refused(&good, "members", partition, &signing()), "another list");
        assert!(refused(&good, "audit", ("PK", "AUDIT#QOQ"), &signing()), "another organisation");
        assert!(refused(&good, "audit", partition, &CursorKey::new(b"another key")), "another key");
        let (body, tag) = good.split_once('.').unwrap();
        let forged_body = URL_SAFE_NO_PAD.encode(br#"{"k":{"PK":"","SK":""}}"#);
        assert!(refused(&format!("{forged_body}.{tag}"), "audit", partition, &signing()), "an altered position");
        assert!(refused(body, "audit", partition, &signing()), "no signature");
        let unsigned_empty = encode(&signing(), "audit", "AUDIT#QHM", &key(&[("PK", ""), ("SK", "")])).unwrap();
        assert!(refused(&unsigned_empty, "audit", partition, &signing()), "empty key values, even signed");
        let extra = encode(&signing(), "audit", "AUDIT#QHM", &key(&[("PK", "a"), ("SK", "b"), ("x", "c")])).unwrap();
        assert!(refused(&extra, "audit", partition, &signing()), "attributes the list does not use");
    }
}
