//! What the routes return: the JSON shapes, each a type, built from records
//! and domain types. Money is text ("193.42") so no float ever touches it.

pub mod accounts;
pub mod audit;
pub mod bulk_claims;
pub mod catalogue;
pub mod claims;
pub mod enrolment;
pub mod listing;
pub mod party;
pub mod payments;
pub mod practice_file;
pub mod remittance;
pub mod reports;
pub mod sessions;
