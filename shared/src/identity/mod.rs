//! Who the caller is: a verified token, then their account and memberships from the table.

pub mod directory;
pub mod session;
pub mod token;

pub use directory::UserDirectory;
pub use token::{TokenVerifier, VerifiedSubject};
