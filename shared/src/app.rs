//! Settings and clients: everything a function needs, built once per process
//! and shared by every invocation. Steps live in the functions; who may act, in
//! `access`.

use crate::config::Config;
use crate::domain::account::Caller;
use crate::error::AppError;
use crate::files::{EvidenceStore, MalwareScanner};
use crate::identity::{TokenVerifier, UserDirectory};
use crate::mail::{MailQueue, MailSender};
use crate::store::Store;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Adapters other than the store are built on first use, once per process: a
/// function that never sends mail never links the SQS client (smaller binary).
pub struct App {
    pub config: Config,
    pub store: Store,
    sdk: aws_config::SdkConfig,
    mail: OnceLock<MailQueue>,
    sqs: OnceLock<aws_sdk_sqs::Client>,
    mail_sender: OnceLock<MailSender>,
    directory: OnceLock<UserDirectory>,
    evidence: OnceLock<EvidenceStore>,
    verifier: OnceLock<TokenVerifier>,
    /// A pool subject never changes owner, so its user id is cached for the process.
    subjects: Mutex<HashMap<String, String>>,
    /// Each caller as last read, by user id: only ever a guess at which
    /// organisation their next request is about, so it can be read beside their
    /// account (never used to decide what they may do).
    callers: Mutex<HashMap<String, Caller>>,
}

/// Callers remembered at most, so a long-lived process stays small.
const CALLERS_REMEMBERED: usize = 10_000;

/// The SDK's settings from the environment alone, with no I/O at start-up:
/// Lambda gives the region and the function's credentials as environment
/// variables (the local stack does the same, and `AWS_ENDPOINT_URL` points
/// every client at the emulator). The default loader would also read profile
/// files and build an HTTPS client (loading the system's TLS roots) before the
/// first request, which a refused request never needs.
fn sdk_from_env() -> aws_config::SdkConfig {
    use aws_config::environment::EnvironmentVariableCredentialsProvider;
    use aws_credential_types::provider::SharedCredentialsProvider;
    let mut sdk = aws_config::SdkConfig::builder()
        .behavior_version(aws_config::BehaviorVersion::latest())
        .credentials_provider(SharedCredentialsProvider::new(EnvironmentVariableCredentialsProvider::new()));
    if let Ok(region) = std::env::var("AWS_REGION").or_else(|_| std::env::var("AWS_DEFAULT_REGION")) {
        sdk = sdk.region(aws_config::Region::new(region));
    }
    if let Some(url) = std::env::var("AWS_ENDPOINT_URL").ok().filter(|u| !u.is_empty()) {
        sdk = sdk.endpoint_url(url);
    }
    // Every AWS call says which function made it (`app/<name>` in its user
    // agent): CloudTrail shows it in AWS, and the local emulator holds each
    // call to that function's own policy in template.yaml.
    let app_name = std::env::var("AWS_LAMBDA_FUNCTION_NAME").ok().and_then(|name| aws_config::AppName::new(name).ok());
    sdk.set_app_name(app_name);
    sdk.build()
}

impl App {
    /// Reads settings and builds the SDK clients. The SDK follows `AWS_ENDPOINT_URL`
    /// locally, so the same code talks to the emulator or to AWS.
    pub async fn from_env() -> Result<Self, lambda_http::Error> {
        let config = Config::from_env()?;
        let sdk = sdk_from_env();
        let dynamodb =
            aws_sdk_dynamodb::config::Builder::from(&sdk).interceptor(crate::edge::aws_calls::CountCalls).build();
        let cursor_key = crate::store::CursorKey::new(config.cursor_signing_key.as_bytes());
        let store = Store::new(dynamodb, config.table_name.clone(), cursor_key);
        Ok(Self {
            config,
            store,
            sdk,
            mail: OnceLock::new(),
            sqs: OnceLock::new(),
            mail_sender: OnceLock::new(),
            directory: OnceLock::new(),
            evidence: OnceLock::new(),
            verifier: OnceLock::new(),
            subjects: Mutex::new(HashMap::new()),
            callers: Mutex::new(HashMap::new()),
        })
    }

    /// SQS, for the queues of long work (payment runs).
    pub fn sqs(&self) -> &aws_sdk_sqs::Client {
        self.sqs.get_or_init(|| {
            let sqs = aws_sdk_sqs::config::Builder::from(&self.sdk).interceptor(crate::edge::aws_calls::CountCalls);
            aws_sdk_sqs::Client::from_conf(sqs.build())
        })
    }

    /// The mail queue workflow functions put rendered emails on.
    pub fn mail(&self) -> &MailQueue {
        self.mail.get_or_init(|| {
            let sqs = aws_sdk_sqs::config::Builder::from(&self.sdk).interceptor(crate::edge::aws_calls::CountCalls);
            MailQueue::new(aws_sdk_sqs::Client::from_conf(sqs.build()), self.config.mail_queue_url.clone())
        })
    }

    /// SES v2, for the mailer only.
    pub fn mail_sender(&self) -> &MailSender {
        self.mail_sender.get_or_init(|| {
            MailSender::new(
                aws_sdk_sesv2::Client::new(&self.sdk),
                self.config.mail_from.clone(),
                self.config.mail_configuration_set.clone(),
            )
        })
    }

    /// The Cognito user pool.
    pub fn directory(&self) -> &UserDirectory {
        self.directory.get_or_init(|| {
            UserDirectory::new(
                aws_sdk_cognitoidentityprovider::Client::new(&self.sdk),
                self.config.user_pool_id.clone(),
            )
        })
    }

    /// The evidence bucket. Path-style addressing when an endpoint is set (the
    /// local emulator on an IP address); virtual-hosted in AWS.
    pub fn evidence(&self) -> &EvidenceStore {
        self.evidence.get_or_init(|| {
            let local = std::env::var("AWS_ENDPOINT_URL").is_ok_and(|v| !v.is_empty());
            let s3 = aws_sdk_s3::config::Builder::from(&self.sdk)
                .force_path_style(local)
                .interceptor(crate::edge::aws_calls::CountCalls)
                .build();
            EvidenceStore::new(aws_sdk_s3::Client::from_conf(s3), self.config.evidence_bucket.clone())
        })
    }

    /// Where an email's link to a claim points: its screen in the web client.
    pub fn claim_link(&self, claim_id: u64) -> String {
        format!("{}/claims/{claim_id}", self.config.app_url)
    }

    /// The malware engine (clamd); a function without one configured cannot scan.
    pub fn malware_scanner(&self) -> Result<MalwareScanner, AppError> {
        let address =
            self.config.malware_engine.clone().ok_or_else(|| {
                AppError::Internal("MALWARE_ENGINE_ADDRESS is not set: nothing can be scanned".into())
            })?;
        Ok(MalwareScanner::new(address))
    }

    /// Verifies bearer tokens against the user pool's keys (cached).
    pub(crate) fn verifier(&self) -> &TokenVerifier {
        self.verifier.get_or_init(|| {
            TokenVerifier::new(
                self.config.jwt_issuer.clone(),
                self.config.user_pool_client_id.clone(),
                self.config.jwks_url.clone(),
            )
        })
    }

    /// A pool subject never changes owner, so its user id is cached for the process.
    pub(crate) fn cached_user_id(&self, subject: &str) -> Option<String> {
        let cached = self.subjects.lock().ok().and_then(|cache| cache.get(subject).cloned());
        if cached.is_none() {
            crate::edge::aws_calls::note_caller_lookup();
        }
        cached
    }

    pub(crate) fn cache_user_id(&self, subject: &str, user_id: &str) {
        if let Ok(mut cache) = self.subjects.lock() {
            cache.insert(subject.to_string(), user_id.to_string());
        }
    }

    /// The caller as this process last read them, if it has.
    pub(crate) fn remembered_caller(&self, user_id: &str) -> Option<Caller> {
        self.callers.lock().ok().and_then(|callers| callers.get(user_id).cloned())
    }

    pub(crate) fn remember_caller(&self, caller: &Caller) {
        if let Ok(mut callers) = self.callers.lock() {
            if callers.len() >= CALLERS_REMEMBERED {
                callers.clear();
            }
            callers.insert(caller.user_id.clone(), caller.clone());
        }
    }
}
