//! The Cognito user pool: where people's passwords live. Roles never do.

use crate::error::{dependency, AppError};
use aws_sdk_cognitoidentityprovider::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_cognitoidentityprovider::types::{AttributeType, MessageActionType};
use aws_sdk_cognitoidentityprovider::Client;

pub struct UserDirectory {
    client: Client,
    pool_id: String,
}

impl UserDirectory {
    pub fn new(client: Client, pool_id: String) -> Self {
        Self { client, pool_id }
    }

    /// The pool's public sign-in calls, as the web client's app client makes them.
    pub fn sign_in<'a>(&'a self, client_id: &'a str) -> super::session::SignIn<'a> {
        super::session::SignIn { client: &self.client, client_id }
    }

    /// Creates (or finds, on a retry) the sign-in for this email and sets its
    /// password; returns the pool's immutable `sub` for the person.
    pub async fn create_sign_in(&self, email: &str, password: &str) -> Result<String, AppError> {
        let attribute = |name: &str, value: &str| {
            AttributeType::builder()
                .name(name)
                .value(value)
                .build()
                .map_err(|e| AppError::Internal(format!("building attribute: {e}")))
        };
        let created = self
            .client
            .admin_create_user()
            .user_pool_id(&self.pool_id)
            .username(email)
            .user_attributes(attribute("email", email)?)
            .user_attributes(attribute("email_verified", "true")?)
            .message_action(MessageActionType::Suppress)
            .send()
            .await;
        let subject = match created {
            Ok(output) => output
                .user()
                .and_then(|user| user.attributes().iter().find(|a| a.name() == "sub"))
                .and_then(|a| a.value().map(str::to_string)),
            Err(SdkError::ServiceError(e)) if e.err().is_username_exists_exception() => None,
            Err(e) => return Err(dependency("creating the sign-in")(e)),
        };
        let subject = match subject {
            Some(subject) => subject,
            None => self.subject_of(email).await?,
        };
        self.client
            .admin_set_user_password()
            .user_pool_id(&self.pool_id)
            .username(email)
            .password(password)
            .permanent(true)
            .send()
            .await
            .map_err(|error| match error {
                SdkError::ServiceError(e) if e.err().is_invalid_password_exception() => AppError::invalid_field(
                    "password",
                    e.err().message().map(|m| format!("Choose a different password: {m}")).unwrap_or_else(|| {
                        "Choose a different password: this one does not meet the password rules".to_string()
                    }),
                ),
                other => dependency("setting the password")(other),
            })?;
        Ok(subject)
    }

    /// Whether the person signs in with an authenticator app now: the pool has
    /// their app, checked, and asks for its code at every sign-in.
    pub async fn signs_in_with_authenticator(&self, email: &str) -> Result<bool, AppError> {
        let user = self.sign_in_of(email).await?;
        let totp = "SOFTWARE_TOKEN_MFA";
        Ok(user.user_mfa_setting_list().iter().any(|m| m == totp) && user.preferred_mfa_setting() == Some(totp))
    }

    /// The account's status already decides every API call; the user pool is
    /// switched too so sign-in says the same. Says what happened; a failure is
    /// logged and reported ("unchanged"), not fatal.
    pub async fn switch_sign_in(&self, email: &str, enabled: bool) -> &'static str {
        match self.set_sign_in_enabled(email, enabled).await {
            Ok(()) if enabled => "enabled",
            Ok(()) => "disabled",
            Err(error) => {
                tracing::error!(error = %error, "user pool sign-in not switched");
                "unchanged"
            }
        }
    }

    /// Stops (or restores) sign-in for a person; every API call is refused by status anyway.
    pub async fn set_sign_in_enabled(&self, email: &str, enabled: bool) -> Result<(), AppError> {
        if enabled {
            self.client
                .admin_enable_user()
                .user_pool_id(&self.pool_id)
                .username(email)
                .send()
                .await
                .map_err(dependency("enabling the sign-in"))?;
        } else {
            self.client
                .admin_disable_user()
                .user_pool_id(&self.pool_id)
                .username(email)
                .send()
                .await
                .map_err(dependency("disabling the sign-in"))?;
        }
        Ok(())
    }

    /// The pool's record of a person's sign-in.
    async fn sign_in_of(
        &self, email: &str,
    ) -> Result<aws_sdk_cognitoidentityprovider::operation::admin_get_user::AdminGetUserOutput, AppError> {
        self.client
            .admin_get_user()
            .user_pool_id(&self.pool_id)
            .username(email)
            .send()
            .await
            .map_err(dependency("reading the sign-in"))
    }

    async fn subject_of(&self, email: &str) -> Result<String, AppError> {
        let user = self.sign_in_of(email).await?;
        user.user_attributes()
            .iter()
            .find(|a| a.name() == "sub")
            .and_then(|a| a.value().map(str::to_string))
            .ok_or_else(|| AppError::Internal("sign-in has no subject".into()))
    }
}
