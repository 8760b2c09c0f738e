//! Everything a function needs, built once per process and shared by every invocation.

use crate::config::Config;
use crate::domain::account::{AccountStatus, Caller};
use crate::error::AppError;
use crate::http::bearer_token;
use crate::identity::{TokenVerifier, UserDirectory};
use crate::mail::{MailQueue, MailSender};
use crate::store::accounts::AccountView;
use crate::store::Store;
use lambda_http::Request;
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// Adapters other than the store are built on first use, once per process: a
/// function that never sends mail never links the SQS client (smaller binary).
pub struct App {
    pub config: Config,
    pub store: Store,
    sdk: aws_config::SdkConfig,
    mail: OnceLock<MailQueue>,
    mail_sender: OnceLock<MailSender>,
    directory: OnceLock<UserDirectory>,
    verifier: OnceLock<TokenVerifier>,
    /// A pool subject never changes owner, so its user id is cached for the process.
    subjects: Mutex<HashMap<String, String>>,
}

impl App {
    /// Reads settings and builds the SDK clients. The SDK follows `AWS_ENDPOINT_URL`
    /// locally, so the same code talks to the emulator or to AWS.
    pub async fn from_env() -> Result<Self, lambda_http::Error> {
        let config = Config::from_env()?;
        let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        let store = Store::new(aws_sdk_dynamodb::Client::new(&sdk), config.table_name.clone());
        Ok(Self {
            config,
            store,
            sdk,
            mail: OnceLock::new(),
            mail_sender: OnceLock::new(),
            directory: OnceLock::new(),
            verifier: OnceLock::new(),
            subjects: Mutex::new(HashMap::new()),
        })
    }

    /// The mail queue workflow functions put rendered emails on.
    pub fn mail(&self) -> &MailQueue {
        self.mail
            .get_or_init(|| MailQueue::new(aws_sdk_sqs::Client::new(&self.sdk), self.config.mail_queue_url.clone()))
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

    /// Queues the email that tells someone about a change already committed. A
    /// failure is logged and reported ("failed"), never undone.
    pub async fn notify(&self, mail: &crate::mail::MailMessage) -> &'static str {
        match self.mail().enqueue(mail).await {
            Ok(()) => "queued",
            Err(error) => {
                tracing::error!(mail_id = %mail.id, kind = %mail.kind, error = %error, "email not queued");
                "failed"
            }
        }
    }

    fn verifier(&self) -> &TokenVerifier {
        self.verifier.get_or_init(|| {
            TokenVerifier::new(
                self.config.jwt_issuer.clone(),
                self.config.user_pool_client_id.clone(),
                self.config.jwks_url.clone(),
            )
        })
    }

    /// The signed-in caller's account, however its status; for My Profile.
    pub async fn signed_in_account(&self, request: &Request) -> Result<AccountView, AppError> {
        let token = bearer_token(request)?;
        let verified = self.verifier().verify(token).await?;
        let user_id = self.user_id_for(&verified.subject).await?;
        let mut view = self
            .store
            .account_view(&user_id)
            .await?
            .ok_or_else(|| AppError::Forbidden("There is no Local Claims account for this sign-in".into()))?;
        view.signed_in_at = verified.signed_in_at;
        match view.account.status {
            AccountStatus::Active => {
                tracing::Span::current().record("user_id", user_id.as_str());
                Ok(view)
            }
            AccountStatus::Disabled => Err(AppError::AccountDisabled),
            AccountStatus::Pending | AccountStatus::Rejected => Err(AppError::AccountNotActive),
        }
    }

    /// The signed-in caller with their memberships, refused unless the account is active.
    pub async fn caller(&self, request: &Request) -> Result<Caller, AppError> {
        Ok(self.signed_in_account(request).await?.caller())
    }

    async fn user_id_for(&self, subject: &str) -> Result<String, AppError> {
        if let Some(user_id) = self.subjects.lock().ok().and_then(|cache| cache.get(subject).cloned()) {
            return Ok(user_id);
        }
        let user_id = self
            .store
            .user_id_for_subject(subject)
            .await?
            .ok_or_else(|| AppError::Forbidden("There is no Local Claims account for this sign-in".into()))?;
        if let Ok(mut cache) = self.subjects.lock() {
            cache.insert(subject.to_string(), user_id.clone());
        }
        Ok(user_id)
    }
}
