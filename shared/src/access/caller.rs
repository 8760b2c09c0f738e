//! Who is calling: the bearer token verified against the user pool, then the
//! account and memberships read from the table (never roles from the token).
//! A disabled or not-yet-active account is refused on every request.

use crate::app::App;
use crate::domain::account::{AccountStatus, Caller};
use crate::edge::bearer_token;
use crate::error::AppError;
use crate::store::accounts::AccountView;
use lambda_http::Request;
use std::future::Future;

fn no_account() -> AppError {
    AppError::Forbidden("There is no Local Claims account for this sign-in".into())
}

/// The signed-in caller's account with its memberships, refused unless active.
pub async fn signed_in_account(app: &App, request: &Request) -> Result<AccountView, AppError> {
    Ok(signed_in_account_alongside(app, request, async { Ok(()) }).await?.0)
}

/// The signed-in caller with their memberships, refused unless the account is active.
pub async fn signed_in(app: &App, request: &Request) -> Result<Caller, AppError> {
    Ok(signed_in_account(app, request).await?.caller())
}

/// The caller, and `read` made in the same round trip as the caller's own
/// account read (a read that needs only the request: the record a path names).
/// The token is verified first, so a request without a good one reads nothing;
/// and the caller is judged before `read`'s answer is looked at, so a refused
/// caller learns nothing from it.
pub async fn signed_in_alongside<T>(
    app: &App,
    request: &Request,
    read: impl Future<Output = Result<T, AppError>>,
) -> Result<(Caller, T), AppError> {
    let (view, value) = signed_in_account_alongside(app, request, read).await?;
    Ok((view.caller(), value))
}

/// As [`signed_in_alongside`], with the caller's whole account.
pub async fn signed_in_account_alongside<T>(
    app: &App,
    request: &Request,
    read: impl Future<Output = Result<T, AppError>>,
) -> Result<(AccountView, T), AppError> {
    let token = bearer_token(request)?;
    let verified = app.verifier().verify(token).await?;
    let user_id = match app.cached_user_id(&verified.subject) {
        Some(user_id) => user_id,
        None => {
            let user_id = app.store.user_id_for_subject(&verified.subject).await?.ok_or_else(no_account)?;
            app.cache_user_id(&verified.subject, &user_id);
            user_id
        }
    };
    let (view, value) = tokio::join!(app.store.account_view(&user_id), read);
    let mut view = view?.ok_or_else(no_account)?;
    view.signed_in_at = verified.signed_in_at;
    match view.account.status {
        AccountStatus::Active => {
            tracing::Span::current().record("user_id", user_id.as_str());
            Ok((view, value?))
        }
        AccountStatus::Disabled => Err(AppError::AccountDisabled),
        AccountStatus::Pending | AccountStatus::Rejected => Err(AppError::AccountNotActive),
    }
}
