//! Verifies Cognito-issued JWTs: signature against the pool's JWKS, issuer,
//! expiry, `token_use`, and the app client (audience for ID tokens, `client_id`
//! for access tokens). The same check runs behind API Gateway and locally.

use crate::error::AppError;
use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{decode, decode_header, Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use std::time::{Duration, Instant};
use tokio::sync::RwLock;

/// Refetch keys for an unknown `kid` at most this often (key rotation, not a DoS lever).
const REFRESH_INTERVAL: Duration = Duration::from_secs(60);

#[derive(Debug, Deserialize)]
struct Claims {
    sub: String,
    token_use: String,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    aud: Option<String>,
    #[serde(default)]
    auth_time: Option<i64>,
}

/// The subject of a token that passed every check, and when they signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedSubject {
    pub subject: String,
    pub signed_in_at: Option<jiff::Timestamp>,
}

struct KeyCache {
    keys: JwkSet,
    fetched_at: Instant,
}

/// TLS for fetching the pool's signing keys: the system's trusted roots, with
/// the same rustls and aws-lc-rs the AWS SDK uses (one TLS stack per binary).
fn tls_config(with_system_roots: bool) -> Result<rustls::ClientConfig, rustls::Error> {
    let mut roots = rustls::RootCertStore::empty();
    if with_system_roots {
        roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
    }
    let provider = std::sync::Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

pub struct TokenVerifier {
    issuer: String,
    client_id: String,
    jwks_url: String,
    http: reqwest::Client,
    cache: RwLock<Option<KeyCache>>,
}

impl TokenVerifier {
    pub fn new(issuer: String, client_id: String, jwks_url: String) -> Self {
        let builder = reqwest::Client::builder().timeout(Duration::from_secs(5));
        // The system's roots are read only for an https key address (AWS), not locally.
        let builder = match tls_config(jwks_url.starts_with("https://")) {
            Ok(tls) => builder.use_preconfigured_tls(tls),
            Err(error) => {
                tracing::error!(error = %error, "no TLS for fetching signing keys");
                builder
            }
        };
        let http = builder.build().unwrap_or_default();
        Self { issuer, client_id, jwks_url, http, cache: RwLock::new(None) }
    }

    pub async fn verify(&self, token: &str) -> Result<VerifiedSubject, AppError> {
        let header = decode_header(token).map_err(|_| AppError::Unauthenticated("token is not a JWT"))?;
        if header.alg != Algorithm::RS256 {
            return Err(AppError::Unauthenticated("token is not RS256"));
        }
        let kid = header.kid.ok_or(AppError::Unauthenticated("token has no key id"))?;
        let key = self.key_for(&kid).await?;

        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.validate_aud = false; // checked below, by token type
        validation.leeway = 30;
        let claims = decode::<Claims>(token, &key, &validation)
            .map_err(|_| AppError::Unauthenticated("token failed verification"))?
            .claims;

        let client = match claims.token_use.as_str() {
            "access" => claims.client_id.as_deref(),
            "id" => claims.aud.as_deref(),
            _ => return Err(AppError::Unauthenticated("token is neither an access nor an ID token")),
        };
        if client != Some(self.client_id.as_str()) {
            return Err(AppError::Unauthenticated("token was issued to another client"));
        }
        let signed_in_at = claims.auth_time.and_then(|t| jiff::Timestamp::from_second(t).ok());
        Ok(VerifiedSubject { subject: claims.sub, signed_in_at })
    }

    async fn key_for(&self, kid: &str) -> Result<DecodingKey, AppError> {
        if let Some(key) = self.cached_key(kid).await? {
            return Ok(key);
        }
        let mut cache = self.cache.write().await;
        let stale = cache.as_ref().is_none_or(|c| c.fetched_at.elapsed() >= REFRESH_INTERVAL);
        if stale {
            let keys = self.fetch_keys().await?;
            *cache = Some(KeyCache { keys, fetched_at: Instant::now() });
        }
        match cache.as_ref().and_then(|c| c.keys.find(kid)) {
            Some(jwk) => DecodingKey::from_jwk(jwk).map_err(|_| AppError::Unauthenticated("signing key unusable")),
            None => Err(AppError::Unauthenticated("token signed by an unknown key")),
        }
    }

    async fn cached_key(&self, kid: &str) -> Result<Option<DecodingKey>, AppError> {
        let cache = self.cache.read().await;
        match cache.as_ref().and_then(|c| c.keys.find(kid)) {
            Some(jwk) => {
                DecodingKey::from_jwk(jwk).map(Some).map_err(|_| AppError::Unauthenticated("signing key unusable"))
            }
            None => Ok(None),
        }
    }

    async fn fetch_keys(&self) -> Result<JwkSet, AppError> {
        let response = self
            .http
            .get(&self.jwks_url)
            .send()
            .await
            .and_then(|r| r.error_for_status())
            .map_err(|e| AppError::Dependency(format!("fetching signing keys: {e}")))?;
        response.json::<JwkSet>().await.map_err(|e| AppError::Dependency(format!("reading signing keys: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys' fetch has TLS on the SDK's rustls and aws-lc-rs whatever the
    /// address; only an https one reads the system's roots.
    #[test]
    fn the_key_fetch_has_tls_with_one_crypto_provider() {
        assert!(tls_config(false).is_ok_and(|tls| tls.alpn_protocols.is_empty()));
        assert!(tls_config(true).is_ok());
        let local = TokenVerifier::new("http://x".into(), "c".into(), "http://127.0.0.1:1/keys".into());
        let deployed = TokenVerifier::new("https://x".into(), "c".into(), "https://cognito-idp.example/keys".into());
        assert_eq!((local.client_id.as_str(), deployed.client_id.as_str()), ("c", "c"));
    }
}
