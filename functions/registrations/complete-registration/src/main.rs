//! POST /registrations/complete (public): the person opens the emailed link and
//! chooses a password; this creates their sign-in and activates the account.

use serde::Deserialize;
use shared::access::links::LinkWords;
use shared::domain::completion_token;
use shared::domain::password::check_password;
use shared::domain::validation::FieldErrors;
use shared::edge::{json, Answered, Json};
use shared::store::TransactFailure;
use shared::views::enrolment::RegistrationComplete;
use shared::ConflictKind;
use shared::{App, AppError};

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = CompleteRegistrationForm)]
struct CompletionForm {
    #[schema(schema_with = shared::edge::openapi::fields::link_token, required = true)]
    token: Option<String>,
    #[schema(schema_with = shared::edge::openapi::fields::new_password, required = true)]
    password: Option<String>,
}

const LINK: LinkWords = LinkWords {
    unknown: "This registration link is not recognised. Check you copied the whole link from your approval email",
    used: "This link has already been used to complete your registration. Sign in with your email address and password",
    expired: "This link has expired. Contact your Primary Care Team, who can arrange a new one",
};

shared::serve_http!(public POST "/registrations/complete" => complete, refusing 410);

async fn complete(app: &App, form: Json<CompletionForm>) -> Answered<RegistrationComplete<'static>> {
    let form: CompletionForm = form.read()?;
    let mut errors = FieldErrors::new();
    let secret = form.token.as_deref().map(str::trim).filter(|t| !t.is_empty());
    if secret.is_none() {
        errors.add("token", "The link is incomplete: open the link from your approval email again");
    }
    let password = form.password.as_deref().unwrap_or_default();
    if password.is_empty() {
        errors.add("password", "Enter a password");
    }
    errors.into_result()?;
    let secret = LINK.well_formed(secret.unwrap_or_default())?;

    let token = app.store.registration_token(&completion_token::hash(secret)).await?.ok_or_else(|| LINK.not_found())?;
    let now = shared::Timestamp::now();
    let expires_at = LINK.usable(token.used_at.is_some(), token.expires_at, now)?;
    check_password(password).map_err(|detail| AppError::invalid_field("password", detail))?;

    let subject = app.directory().create_sign_in(&token.email, password).await?;
    app.store.complete_registration(&token, &subject, now).await.map_err(|failure| match failure {
        // The token's own condition is first: used meanwhile, or expired meanwhile.
        TransactFailure::ConditionFailed(_) if shared::Timestamp::now() >= expires_at => {
            AppError::Gone(LINK.expired.into())
        }
        other => other.into_conflict(ConflictKind::LinkUsed, LINK.used),
    })?;
    tracing::info!(user_id = %token.user_id, registration_id = %token.registration_id, "registration completed");

    json(&RegistrationComplete {
        status: "active",
        email: &token.email,
        message: "Your registration is complete. You can now sign in with your email address and password.",
    })
}
