//! Who is calling: the bearer token verified against the user pool, then the
//! account and memberships read from the table (never roles from the token).
//! A disabled or not-yet-active account is refused on every request.

use crate::app::App;
use crate::domain::account::{AccountStatus, Caller};
use crate::domain::authenticator::Standing;
use crate::domain::ods::OdsCode;
use crate::error::AppError;
use crate::identity::token::VerifiedSubject;
use crate::store::accounts::AccountView;
use std::future::Future;

/// A bearer token as sent to a public route, not yet verified.
pub struct Credentials(String);

impl Credentials {
    pub(crate) fn new(token: &str) -> Credentials {
        Credentials(token.to_string())
    }

    /// The token checked against the user pool (401 unless good).
    pub async fn verify(&self, app: &App) -> Result<SignedIn, AppError> {
        Ok(SignedIn(app.verifier().verify(&self.0).await?))
    }
}

/// Someone whose token has been verified against the user pool: the edge
/// verifies it before a signed-in route's step runs. Their account is yet to
/// be read and judged (`signed_in_account` and the rest).
#[derive(Clone)]
pub struct SignedIn(VerifiedSubject);

impl SignedIn {
    pub(crate) fn new(verified: VerifiedSubject) -> SignedIn {
        SignedIn(verified)
    }
}

fn no_account() -> AppError {
    AppError::Forbidden("There is no Local Claims account for this sign-in".into())
}

/// The signed-in caller's account with its memberships, refused unless active.
pub async fn signed_in_account(app: &App, caller: &SignedIn) -> Result<AccountView, AppError> {
    Ok(signed_in_account_alongside(app, caller, async { Ok(()) }).await?.0)
}

/// As [`signed_in_account`], for the two steps of setting up an authenticator
/// app (My Profile and recording the app): they are open to a session that
/// began without a code, so its holder can set one up.
pub async fn signed_in_account_without_code(app: &App, caller: &SignedIn) -> Result<AccountView, AppError> {
    let mut verified = verified(app, caller).await?;
    verified.code_needed = false;
    Ok(verified.account_alongside(app, async { Ok(()) }).await?.0)
}

/// The signed-in caller with their memberships, refused unless the account is active.
pub async fn signed_in(app: &App, caller: &SignedIn) -> Result<Caller, AppError> {
    Ok(signed_in_account(app, caller).await?.caller())
}

/// The caller, and `read` made in the same round trip as the caller's own
/// account read (a read that needs only the request: the record a path names).
/// The token is verified first, so a request without a good one reads nothing;
/// and the caller is judged before `read`'s answer is looked at, so a refused
/// caller learns nothing from it.
pub async fn signed_in_alongside<T>(
    app: &App, caller: &SignedIn, read: impl Future<Output = Result<T, AppError>>,
) -> Result<(Caller, T), AppError> {
    let (view, value) = signed_in_account_alongside(app, caller, read).await?;
    Ok((view.caller(), value))
}

/// As [`signed_in_alongside`], with the caller's whole account.
pub async fn signed_in_account_alongside<T>(
    app: &App, caller: &SignedIn, read: impl Future<Output = Result<T, AppError>>,
) -> Result<(AccountView, T), AppError> {
    verified(app, caller).await?.account_alongside(app, read).await
}

/// The caller, the organisation the request is about, and `read` of it —
/// made beside the caller's own account read whenever the organisation can
/// be known before it: the one `choose` picked from this caller's memberships
/// on their last request to this process (a warm Lambda's memory, used only
/// as a guess). `choose` then picks from the account as read now; if that
/// differs from the guess, or there was none, the organisation is read after.
/// `read`'s own failure is answered only once the caller has been judged.
pub async fn signed_in_about<T, Fut>(
    app: &App, caller: &SignedIn, choose: impl Fn(&Caller) -> Result<OdsCode, AppError>, read: impl Fn(OdsCode) -> Fut,
) -> Result<(AccountView, OdsCode, T), AppError>
where
    Fut: Future<Output = Result<T, AppError>>,
{
    let verified = verified(app, caller).await?;
    let guess = app.remembered_caller(&verified.user_id).and_then(|caller| choose(&caller).ok());
    let early = async {
        Ok(match &guess {
            Some(code) => Some(read(code.clone()).await),
            None => None,
        })
    };
    let (view, early) = verified.account_alongside(app, early).await?;
    let organisation = choose(&view.caller())?;
    let value = match (guess, early) {
        (Some(guessed), Some(value)) if guessed == organisation => value?,
        _ => {
            crate::edge::aws_calls::note_organisation_read_after();
            read(organisation.clone()).await?
        }
    };
    Ok((view, organisation, value))
}

/// A request whose token has been verified, from the person it names; their
/// account is yet to be read and judged.
pub struct Verified {
    user_id: String,
    signed_in_at: Option<jiff::Timestamp>,
    /// The sign-in the token came from (`origin_jti`).
    session: Option<String>,
    /// Whether a caller whose roles need an authenticator app must have signed in with its code.
    code_needed: bool,
}

/// The token checked against the user pool (401 unless good) and the person it
/// belongs to (a warm process remembers whose each pool subject is).
pub async fn verified(app: &App, caller: &SignedIn) -> Result<Verified, AppError> {
    let verified = &caller.0;
    let user_id = match app.cached_user_id(&verified.subject) {
        Some(user_id) => user_id,
        None => {
            let user_id = app.store.user_id_for_subject(&verified.subject).await?.ok_or_else(no_account)?;
            app.cache_user_id(&verified.subject, &user_id);
            user_id
        }
    };
    Ok(Verified { user_id, signed_in_at: verified.signed_in_at, session: verified.session.clone(), code_needed: true })
}

impl Verified {
    /// The account read beside `read`, then judged: active, or refused before
    /// `read`'s answer is looked at.
    pub async fn account_alongside<T>(
        self, app: &App, read: impl Future<Output = Result<T, AppError>>,
    ) -> Result<(AccountView, T), AppError> {
        let (view, value) = tokio::join!(app.store.account_view(&self.user_id), read);
        let mut view = view?.ok_or_else(no_account)?;
        view.signed_in_at = self.signed_in_at;
        view.session = self.session.clone();
        // A session that was signed out is over, in every tab.
        if self.session.as_ref().is_some_and(|session| view.ended_sessions.contains(session)) {
            return Err(AppError::Unauthenticated("the session has ended"));
        }
        match view.account.status {
            AccountStatus::Active => {
                tracing::Span::current().record("user_id", self.user_id.as_str());
                let caller = view.caller();
                match view.authenticator_standing() {
                    Standing::Satisfied => {}
                    _ if !self.code_needed => {}
                    Standing::NotSetUp => return Err(AppError::AuthenticatorNeeded { set_up: false }),
                    Standing::SignInAgain => return Err(AppError::AuthenticatorNeeded { set_up: true }),
                }
                app.remember_caller(&caller);
                Ok((view, value?))
            }
            AccountStatus::Disabled => Err(AppError::AccountDisabled),
            AccountStatus::Pending | AccountStatus::Rejected => Err(AppError::AccountNotActive),
        }
    }
}
