//! Who runs a commissioner's payments: its Finance and Tier 2 approvers. To
//! anyone else a run is not there at all.

use super::caller::signed_in_account_alongside;
use crate::app::App;
use crate::domain::account::Caller;
use crate::domain::ods::OdsCode;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::store::accounts::AccountView;
use crate::store::payments::PaymentRunRecord;
use lambda_http::Request;

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
pub async fn open(app: &App, request: &Request, run_id: &str) -> Result<(AccountView, PaymentRunRecord), AppError> {
    let (account, run) = signed_in_account_alongside(app, request, app.store.payment_run(run_id.trim())).await?;
    let not_found = || AppError::NotFound("There is no payment run with this ID among yours".into());
    let run = run.ok_or_else(not_found)?;
    if !paying_for(&account.caller()).contains(&run.commissioner) {
        return Err(not_found());
    }
    Ok((account, run))
}

/// Who reads a practice's remittances: its own users, and whoever runs the
/// payments of the commissioner that paid it.
pub fn may_read_remittance(caller: &Caller, provider: &OdsCode, commissioner: &OdsCode) -> bool {
    caller.is_provider_member(provider) || paying_for(caller).contains(commissioner)
}
