//! Pure types and rules: no AWS, no I/O, unit-tested exhaustively.

pub mod access_request;
pub mod account;
pub mod audit_query;
pub mod authority;
pub mod claim_window;
pub mod completion_token;
pub mod component;
pub mod email;
pub mod financial_year;
pub mod generic_mailbox;
pub mod invitation;
pub mod lifecycle;
pub mod listing;
pub mod money;
pub mod nhs_number;
pub mod ods;
pub mod organisation;
pub mod password;
pub mod person;
pub mod profile;
pub mod registration;
pub mod role;
pub mod validation;
