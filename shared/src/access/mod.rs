//! Who may act where. Reads what it needs through the store; decides with the
//! domain's rules; answers with the record the step may use or an `AppError`
//! (never an HTTP type).

pub mod bulk_claims;
pub mod caller;
pub mod catalogue;
pub mod claims;
pub mod links;
pub mod organisations;
pub mod payments;

pub use caller::{
    signed_in, signed_in_about, signed_in_account, signed_in_account_alongside, signed_in_account_without_code,
    signed_in_alongside,
};
