//! Disable Account and Enable Account on a whole account, whoever asks (the
//! person themself or an administrator): the status moves on once, every
//! membership with it, sign-in is switched to match, and the person is told.

use crate::domain::lifecycle::DisableReason;
use crate::edge::{json, Answered};
use crate::mail::templates;
use crate::store::accounts::AccountView;
use crate::views::accounts::AccountChanged;
use crate::{App, AppError, ConflictKind};

/// Which way the account goes.
pub enum AccountSwitch {
    /// Disabled, for this reason; `by_themself` when the person asked.
    Disable {
        reason: DisableReason,
        by_themself: bool,
    },
    Enable,
}

/// Switches `person`'s account as `actor` (a user id) asked.
pub async fn switch_account(
    app: &App, person: &AccountView, switch: AccountSwitch, actor: &str,
) -> Answered<AccountChanged<'static>> {
    let account = &person.account;
    let (next, reason) = match &switch {
        AccountSwitch::Disable { reason, .. } => (account.status.disable(), Some(reason)),
        AccountSwitch::Enable => (account.status.enable(), None),
    };
    let next = next.map_err(|refused| AppError::conflict(ConflictKind::AccountUnchanged, refused.0))?;
    app.store.change_account(account, &person.memberships, next, reason, actor, crate::Timestamp::now()).await?;
    let sign_in = app.directory().switch_sign_in(&account.email, reason.is_none()).await;
    let to = account.names();
    let label = reason.map(DisableReason::label);
    let letter = match &switch {
        AccountSwitch::Disable { reason, by_themself } => {
            templates::account_disabled(&to, &reason.label(), *by_themself)
        }
        AccountSwitch::Enable => templates::account_enabled(&to),
    };
    let notification = app.mail().notify(&letter).await;
    json(&AccountChanged::of(account, next, label.as_deref(), sign_in, notification))
}
