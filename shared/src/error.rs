//! The one error type every function returns; mapped to problem+json once, in `edge::problem`.

use crate::domain::validation::FieldErrors;
use aws_sdk_dynamodb::error::ProvideErrorMetadata;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The body is not JSON, or not the JSON this route takes.
    #[error("malformed request: {0}")]
    Malformed(String),
    #[error("request body too large")]
    TooLarge,
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// Fields that break the rules, each with a message for the person filling the form.
    #[error("validation failed")]
    Validation { detail: String, errors: FieldErrors },
    #[error("not signed in: {0}")]
    Unauthenticated(&'static str),
    /// Not signed in, where the person needs to be told why and how (the
    /// email with the link was written before they had an account).
    #[error("sign in first")]
    SignInFirst(String),
    /// The user pool refused a sign-in (wrong password, a code too late…), in the person's words.
    #[error("sign-in refused")]
    SignInRefused(String),
    #[error("account disabled")]
    AccountDisabled,
    #[error("account not active")]
    AccountNotActive,
    /// The caller's roles need a sign-in with an authenticator app, and this
    /// session did not begin with one (`set_up`: the app is set up already).
    #[error("sign in with an authenticator app")]
    AuthenticatorNeeded { set_up: bool },
    #[error("forbidden: {0}")]
    Forbidden(String),
    #[error("not found: {0}")]
    NotFound(String),
    /// A state change that is impossible now; `kind` names it in the problem type.
    #[error("conflict: {detail}")]
    Conflict { kind: ConflictKind, detail: String },
    /// The request was made against a version of the record that has moved on
    /// (`If-Match`); nothing was changed.
    #[error("stale version: {0}")]
    Stale(String),
    /// A link or token that once worked and no longer does.
    #[error("gone: {0}")]
    Gone(String),
    /// A dependency (AWS) failed; safe to retry.
    #[error("dependency failed: {0}")]
    Dependency(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl AppError {
    pub fn validation(errors: FieldErrors) -> Self {
        AppError::Validation { detail: "Some of the information you entered needs correcting".to_string(), errors }
    }

    pub fn invalid_field(field: &str, detail: impl Into<String>) -> Self {
        Self::validation(FieldErrors::single(field, detail))
    }

    pub fn conflict(kind: ConflictKind, detail: impl Into<String>) -> Self {
        AppError::Conflict { kind, detail: detail.into() }
    }
}

impl From<crate::domain::spreadsheet::SheetError> for AppError {
    fn from(error: crate::domain::spreadsheet::SheetError) -> Self {
        AppError::Internal(error.to_string())
    }
}

impl From<FieldErrors> for AppError {
    fn from(errors: FieldErrors) -> Self {
        Self::validation(errors)
    }
}

/// AWS SDK errors become `Dependency` (503: the same request may be sent
/// again), except those no retry mends — a request AWS finds malformed or
/// denies, a resource that is not there — which are `Internal` (500: our
/// fault). Their display never includes request data.
pub fn dependency<E: std::error::Error + ProvideErrorMetadata>(context: &str) -> impl FnOnce(E) -> AppError + '_ {
    move |error| {
        let text = format!("{context}: {}", aws_error_chain(&error));
        match error.code() {
            Some(code) if NEVER_MENDED_BY_A_RETRY.contains(&code) => AppError::Internal(text),
            _ => AppError::Dependency(text),
        }
    }
}

/// AWS error codes that say the call itself is wrong, so sending it again
/// would fail again.
const NEVER_MENDED_BY_A_RETRY: &[&str] = &[
    "ValidationException",
    "SerializationException",
    "AccessDeniedException",
    "AccessDenied",
    "ResourceNotFoundException",
    "UnrecognizedClientException",
    "InvalidParameterValue",
    "MessageRejected",
    "NoSuchBucket",
    "AWS.SimpleQueueService.NonExistentQueue",
];

fn aws_error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl From<crate::domain::authority::Refusal> for AppError {
    fn from(refusal: crate::domain::authority::Refusal) -> Self {
        AppError::Forbidden(refusal.message())
    }
}

crate::vocabulary::closed_list! {
    /// Why a change cannot be made now: the last word of the 409's problem
    /// type (`/problems/<slug>`), which the web client and the document name.
    pub enum ConflictKind {
        AccountDisabled = "account-disabled",
        AccountUnchanged = "account-unchanged",
        AlreadyAMember = "already-a-member",
        AlreadyChanged = "already-changed",
        AlreadyClaimed = "already-claimed",
        AlreadyReviewed = "already-reviewed",
        ClaimBusy = "claim-busy",
        ClaimChanged = "claim-changed",
        ClaimDecided = "claim-decided",
        ClaimExists = "claim-exists",
        ClaimMovedOn = "claim-moved-on",
        ClaimNotDraft = "claim-not-draft",
        ClaimNotEditable = "claim-not-editable",
        ClaimSubmitted = "claim-submitted",
        ComponentNameTaken = "component-name-taken",
        ConcurrentUpdate = "concurrent-update",
        DuplicateAccount = "duplicate-account",
        DuplicateInvitation = "duplicate-invitation",
        DuplicateRegistration = "duplicate-registration",
        FileNotChecked = "file-not-checked",
        FileRefused = "file-refused",
        InvitationChanged = "invitation-changed",
        InvitationClosed = "invitation-closed",
        InvitationPending = "invitation-pending",
        LastAdministrator = "last-administrator",
        LinkUsed = "link-used",
        MembershipUnchanged = "membership-unchanged",
        MfaNotSetUp = "mfa-not-set-up",
        NoEvidenceAsked = "no-evidence-asked",
        NothingToClaim = "nothing-to-claim",
        OfferAnswered = "offer-answered",
        OrganisationExists = "organisation-exists",
        RegistrationPending = "registration-pending",
        RunCollecting = "run-collecting",
        RunConfirmed = "run-confirmed",
        RunExists = "run-exists",
        RunMovedOn = "run-moved-on",
        ServiceExists = "service-exists",
        ServiceNameTaken = "service-name-taken",
        WindowClosed = "window-closed",
    }
}

/// `attempt`, tried up to four times (the SDK's own retries inside each), a
/// little later each time: for a call whose loss would strand work already
/// done (a ledger mark, a run's next step, the people a remittance tells).
pub async fn persistently<T, F, Fut>(attempt: F) -> Result<T, AppError>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    let mut pause = std::time::Duration::from_millis(50);
    for _ in 0..3 {
        if let Ok(done) = attempt().await {
            return Ok(done);
        }
        tokio::time::sleep(pause).await;
        pause *= 4;
    }
    attempt().await
}

#[cfg(test)]
mod tests {
    use super::{dependency, AppError, ConflictKind};
    use aws_sdk_dynamodb::error::SdkError;
    use aws_sdk_dynamodb::operation::get_item::GetItemError;
    use aws_smithy_runtime_api::http::{Response, StatusCode};
    use aws_smithy_types::body::SdkBody;
    use aws_smithy_types::error::ErrorMetadata;

    fn refused(code: &str, status: u16) -> SdkError<GetItemError, Response> {
        let error = GetItemError::generic(ErrorMetadata::builder().code(code).build());
        let raw = Response::new(StatusCode::try_from(status).expect("a status"), SdkBody::empty());
        SdkError::service_error(error, raw)
    }

    #[test]
    fn a_failure_a_retry_may_mend_is_a_503_and_a_malformed_call_a_500() {
        for (code, status) in [("ThrottlingException", 400), ("InternalServerError", 500), ("SlowDown", 503)] {
            let error = dependency("reading")(refused(code, status));
            assert!(matches!(error, AppError::Dependency(_)), "{code}: {error:?}");
        }
        for (code, status) in [("ValidationException", 400), ("AccessDeniedException", 400)] {
            let error = dependency("reading")(refused(code, status));
            assert!(matches!(error, AppError::Internal(_)), "{code}: {error:?}");
        }
    }

    #[test]
    fn each_conflict_kind_has_its_own_problem_type() {
        let mut slugs: Vec<_> = ConflictKind::ALL.iter().map(|kind| kind.as_str()).collect();
        slugs.sort();
        slugs.dedup();
        assert_eq!(slugs.len(), ConflictKind::ALL.len(), "each kind has its own slug");
    }
}
