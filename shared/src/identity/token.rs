//! Verifies Cognito-issued JWTs: signature against the pool's JWKS, issuer,
//! expiry, `token_use`, and the app client (audience for ID tokens, `client_id`
//! for access tokens). The same check runs behind API Gateway and locally.
//! A token whose own claims already fail (another issuer, expired, not a
//! Cognito token) is refused before the pool's keys are fetched, as
//! `aws-jwt-verify` does: a forged token costs no network call, and a cold
//! start answers it without one. Only the signature check can accept.

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
    #[serde(default)]
    origin_jti: Option<String>,
}

/// The subject of a token that passed every check, when they signed in, and
/// the sign-in it came from (`origin_jti`: every token a sign-in's refreshes
/// make shares it), so signing out can end that one session in every tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedSubject {
    pub subject: String,
    pub signed_in_at: Option<jiff::Timestamp>,
    pub session: Option<String>,
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

/// What a token says of itself, read before its signature is checked: only
/// ever used to refuse it.
#[derive(Debug, Deserialize)]
struct Unverified {
    #[serde(default)]
    iss: Option<String>,
    #[serde(default)]
    exp: Option<i64>,
    #[serde(default)]
    token_use: Option<String>,
}

/// Seconds of clock difference allowed on expiry, before and after the signature check.
const LEEWAY: u64 = 30;

pub struct TokenVerifier {
    issuer: String,
    client_id: String,
    jwks_url: String,
    /// Built on the first fetch of the keys (a refused token never needs it).
    http: std::sync::OnceLock<reqwest::Client>,
    cache: RwLock<Option<KeyCache>>,
}

impl TokenVerifier {
    pub fn new(issuer: String, client_id: String, jwks_url: String) -> Self {
        Self { issuer, client_id, jwks_url, http: std::sync::OnceLock::new(), cache: RwLock::new(None) }
    }

    fn http(&self) -> &reqwest::Client {
        self.http.get_or_init(|| {
            let builder = reqwest::Client::builder().timeout(Duration::from_secs(5));
            // The system's roots are read only for an https key address (AWS), not locally.
            let builder = match tls_config(self.jwks_url.starts_with("https://")) {
                Ok(tls) => builder.use_preconfigured_tls(tls),
                Err(error) => {
                    tracing::error!(error = %error, "no TLS for fetching signing keys");
                    builder
                }
            };
            builder.build().unwrap_or_default()
        })
    }

    pub async fn verify(&self, token: &str) -> Result<VerifiedSubject, AppError> {
        let header = decode_header(token).map_err(|_| AppError::Unauthenticated("token is not a JWT"))?;
        if header.alg != Algorithm::RS256 {
            return Err(AppError::Unauthenticated("token is not RS256"));
        }
        let kid = header.kid.ok_or(AppError::Unauthenticated("token has no key id"))?;
        self.refuse_on_its_own_word(token, jiff::Timestamp::now().as_second())?;
        let key = self.key_for(&kid).await?;

        let mut validation = Validation::new(Algorithm::RS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.validate_aud = false; // checked below, by token type
        validation.leeway = LEEWAY;
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
        Ok(VerifiedSubject { subject: claims.sub, signed_in_at, session: claims.origin_jti })
    }

    /// Refuses a token whose own claims fail — not this pool's, expired, not an
    /// access or ID token — before any key is fetched (`now`: epoch seconds).
    fn refuse_on_its_own_word(&self, token: &str, now: i64) -> Result<(), AppError> {
        use base64::Engine;
        let payload = token.split('.').nth(1).ok_or(AppError::Unauthenticated("token is not a JWT"))?;
        let claims: Unverified = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .ok_or(AppError::Unauthenticated("token is not a JWT"))?;
        if claims.iss.as_deref() != Some(self.issuer.as_str()) {
            return Err(AppError::Unauthenticated("token is from another issuer"));
        }
        if claims.exp.is_none_or(|exp| exp.saturating_add(LEEWAY as i64) < now) {
            return Err(AppError::Unauthenticated("token has expired"));
        }
        if !matches!(claims.token_use.as_deref(), Some("access" | "id")) {
            return Err(AppError::Unauthenticated("token is neither an access nor an ID token"));
        }
        Ok(())
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
            .http()
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
        let _ = (local.http(), deployed.http());
    }

    fn token_saying(claims: serde_json::Value) -> String {
        use base64::Engine;
        let part = |v: serde_json::Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        format!("{}.{}.c2lnbmF0dXJl", part(serde_json::json!({"alg": "RS256", "kid": "k1"})), part(claims))
    }

    const ISSUER: &str = "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_pool";

    /// Refused before any key is fetched: the keys' address here answers
    /// nothing, so reaching it would be a 503, not these 401s.
    #[tokio::test]
    async fn a_token_failing_its_own_claims_is_refused_without_fetching_keys() {
        let verifier = TokenVerifier::new(ISSUER.into(), "client".into(), "http://127.0.0.1:9/keys".into());
        let now = jiff::Timestamp::now().as_second();
        let refused = [
            (serde_json::json!({}), "token is from another issuer"),
            (
                serde_json::json!({"iss": "https://evil.example", "exp": now + 600, "token_use": "access"}),
                "token is from another issuer",
            ),
            (serde_json::json!({"iss": ISSUER, "exp": now - 120, "token_use": "access"}), "token has expired"),
            (serde_json::json!({"iss": ISSUER, "token_use": "access"}), "token has expired"),
            (
                serde_json::json!({"iss": ISSUER, "exp": now + 600, "token_use": "refresh"}),
                "token is neither an access nor an ID token",
            ),
        ];
        for (claims, why) in refused {
            match verifier.verify(&token_saying(claims.clone())).await {
                Err(AppError::Unauthenticated(said)) => assert_eq!(said, why, "{claims}"),
                other => panic!("{claims}: {other:?}"),
            }
        }
        assert!(matches!(verifier.verify("not.a-jwt").await, Err(AppError::Unauthenticated(_))));
        assert!(verifier.http.get().is_none(), "no client was built: nothing was fetched");
    }

    /// A token whose claims pass goes on to the signature check, which needs the keys.
    #[tokio::test]
    async fn a_token_whose_claims_pass_needs_the_keys() {
        let verifier = TokenVerifier::new(ISSUER.into(), "client".into(), "http://127.0.0.1:9/keys".into());
        let now = jiff::Timestamp::now().as_second();
        let token = token_saying(serde_json::json!({"iss": ISSUER, "exp": now + 600, "token_use": "access"}));
        assert!(matches!(verifier.verify(&token).await, Err(AppError::Dependency(_))));
    }
}
