//! Single-use secrets sent by email (registration completion, invitations).
//! Only the SHA-256 of the secret is stored, so a copy of the table grants nothing.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jiff::{SignedDuration, Timestamp};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// How long an emailed link stays usable.
pub const VALIDITY: SignedDuration = SignedDuration::from_hours(7 * 24);

pub struct IssuedToken {
    /// Goes in the email link only; never stored or logged.
    pub secret: String,
    /// Stored as the token's key.
    pub hash: String,
    pub expires_at: Timestamp,
}

pub fn issue(now: impl Into<Timestamp>) -> IssuedToken {
    let now: Timestamp = now.into();
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    IssuedToken { hash: hash(&secret), secret, expires_at: now + VALIDITY }
}

pub fn hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// A well-formed secret is 43 base64url characters; anything else is unknown without a lookup.
pub fn looks_like_secret(secret: &str) -> bool {
    secret.len() == 43 && secret.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Why a presented token cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRefusal {
    Used,
    Expired,
}

pub fn check_usable(used: bool, expires_at: Timestamp, now: Timestamp) -> Result<(), TokenRefusal> {
    if used {
        Err(TokenRefusal::Used)
    } else if now >= expires_at {
        Err(TokenRefusal::Expired)
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_are_random_hashed_and_expire_in_seven_days() {
        let now: Timestamp = "2026-11-26T10:00:00Z".parse().unwrap();
        let a = issue(now);
        let b = issue(now);
        assert_ne!(a.secret, b.secret);
        assert!(looks_like_secret(&a.secret));
        assert_eq!(a.hash, hash(&a.secret));
        assert_eq!(a.hash.len(), 64);
        assert!(!a.hash.contains(&a.secret));
        assert_eq!(a.expires_at.to_string(), "2026-12-03T10:00:00Z");
    }

    #[test]
    fn used_or_expired_tokens_are_refused() {
        let expires: Timestamp = "2026-12-03T10:00:00Z".parse().unwrap();
        let before: Timestamp = "2026-12-03T09:59:59Z".parse().unwrap();
        assert_eq!(check_usable(false, expires, before), Ok(()));
        assert_eq!(check_usable(true, expires, before), Err(TokenRefusal::Used));
        assert_eq!(check_usable(false, expires, expires), Err(TokenRefusal::Expired));
        assert!(!looks_like_secret("short"));
        assert!(!looks_like_secret(&"a".repeat(42).chars().chain(['!']).collect::<String>()));
    }
}
