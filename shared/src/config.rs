//! Settings read once per process from the environment (set by template.yaml in
//! AWS and by `.local/functions.env` locally).

use std::env;

#[derive(Debug, Clone)]
pub struct Config {
    pub table_name: String,
    pub mail_queue_url: String,
    pub user_pool_id: String,
    pub user_pool_client_id: String,
    /// The `iss` tokens must carry: always the AWS form, even locally.
    pub jwt_issuer: String,
    /// Where to fetch signing keys; differs from the issuer when emulated.
    pub jwks_url: String,
    /// Base of links in emails (the web front end).
    pub app_url: String,
    pub mail_from: String,
    /// Where practices upload evidence (presigned PUT) and download clean files.
    pub evidence_bucket: String,
    /// SES configuration set for reputation metrics; only the mailer sets it.
    pub mail_configuration_set: Option<String>,
    /// Reminders go this many days before a claim window closes.
    pub reminder_days: i64,
    /// clamd's `host:port`; only the scan function sets it.
    pub malware_engine: Option<String>,
    /// Where a payment run's next step is queued when one request cannot finish it.
    pub payment_run_queue_url: Option<String>,
    /// The secret list cursors are signed with (`CursorSigningKey` in the template).
    pub cursor_signing_key: String,
}

#[derive(Debug, thiserror::Error)]
#[error("missing environment variable {0}")]
pub struct MissingSetting(pub &'static str);

fn required(name: &'static str) -> Result<String, MissingSetting> {
    env::var(name).ok().filter(|v| !v.trim().is_empty()).ok_or(MissingSetting(name))
}

impl Config {
    pub fn from_env() -> Result<Self, MissingSetting> {
        let region = env::var("AWS_REGION")
            .or_else(|_| env::var("AWS_DEFAULT_REGION"))
            .unwrap_or_else(|_| "eu-west-2".to_string());
        let user_pool_id = required("USER_POOL_ID")?;
        let jwt_issuer = env::var("JWT_ISSUER")
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| format!("https://cognito-idp.{region}.amazonaws.com/{user_pool_id}"));
        let jwks_url = env::var("JWKS_URL")
            .ok()
            .filter(|v| !v.is_empty())
            .unwrap_or_else(|| format!("{jwt_issuer}/.well-known/jwks.json"));
        Ok(Self {
            table_name: required("TABLE_NAME")?,
            mail_queue_url: required("MAIL_QUEUE_URL")?,
            user_pool_client_id: required("USER_POOL_CLIENT_ID")?,
            user_pool_id,
            jwt_issuer,
            jwks_url,
            app_url: required("APP_URL")?.trim_end_matches('/').to_string(),
            mail_from: required("MAIL_FROM")?,
            evidence_bucket: required("EVIDENCE_BUCKET")?,
            mail_configuration_set: env::var("MAIL_CONFIGURATION_SET").ok().filter(|v| !v.trim().is_empty()),
            reminder_days: env::var("REMINDER_DAYS_BEFORE_CLOSE")
                .ok()
                .and_then(|v| v.trim().parse().ok())
                .filter(|days| (1..=60).contains(days))
                .unwrap_or(3),
            malware_engine: env::var("MALWARE_ENGINE_ADDRESS").ok().filter(|v| !v.trim().is_empty()),
            payment_run_queue_url: env::var("PAYMENT_RUN_QUEUE_URL").ok().filter(|v| !v.trim().is_empty()),
            cursor_signing_key: required("CURSOR_SIGNING_KEY")?,
        })
    }
}
