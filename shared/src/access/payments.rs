//! Who runs a commissioner's payments: its Finance and Tier 2 approvers. To
//! anyone else a run is not there at all.

use super::caller::signed_in_account_alongside;
use super::caller::SignedIn;
use crate::app::App;
use crate::domain::account::Caller;
use crate::domain::ods::OdsCode;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::store::accounts::AccountView;
use crate::store::payments::PaymentRunRecord;
use std::future::Future;

/// The roles that run payments.
pub const PAYERS: [Role; 2] = [Role::Finance, Role::ApproverTier2];

/// The commissioners whose payments the caller runs.
pub fn paying_for(caller: &Caller) -> Vec<OdsCode> {
    let mut codes: Vec<OdsCode> = PAYERS.iter().flat_map(|r| caller.organisations_with(*r)).cloned().collect();
    codes.sort();
    codes.dedup();
    codes
}

pub const NOT_A_PAYER: &str = "Only a commissioner's Finance and Tier 2 approvers run its payments";

/// The caller and the run in the address, if the caller runs its commissioner's payments.
pub async fn open(app: &App, caller: &SignedIn, run_id: &str) -> Result<(AccountView, PaymentRunRecord), AppError> {
    let (account, (run, ())) = open_with(app, caller, run_id, async { Ok(()) }).await?;
    Ok((account, run))
}

/// As [`open`], with `read` (of more the run's id names, such as its claims)
/// made in the same round trip and answered only to someone who may see the run.
pub async fn open_with<T>(
    app: &App, caller: &SignedIn, run_id: &str, read: impl Future<Output = Result<T, AppError>>,
) -> Result<(AccountView, (PaymentRunRecord, T)), AppError> {
    let named = async { tokio::try_join!(app.store.payment_run(run_id.trim()), read) };
    let (account, (run, value)) = signed_in_account_alongside(app, caller, named).await?;
    let not_found = || AppError::NotFound("There is no payment run with this ID among yours".into());
    let run = run.ok_or_else(not_found)?;
    if !paying_for(&account.caller()).contains(&run.commissioner) {
        return Err(not_found());
    }
    Ok((account, (run, value)))
}

/// Who reads a practice's remittances: its own users, and whoever runs the
/// payments of the commissioner that paid it.
pub fn may_read_remittance(caller: &Caller, provider: &OdsCode, commissioner: &OdsCode) -> bool {
    caller.is_provider_member(provider) || paying_for(caller).contains(commissioner)
}
