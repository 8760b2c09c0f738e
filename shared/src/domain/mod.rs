//! Pure types and rules: no AWS, no I/O, unit-tested exhaustively.

pub mod account;
pub mod completion_token;
pub mod email;
pub mod generic_mailbox;
pub mod listing;
pub mod nhs_number;
pub mod ods;
pub mod organisation;
pub mod password;
pub mod person;
pub mod registration;
pub mod role;
pub mod validation;
