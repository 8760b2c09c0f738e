//! Steps more than one function takes, built from the other layers.

pub mod accounts;
pub mod evidence_checked;
pub mod memberships;
pub mod offers;
pub mod payment_runs;
pub mod windows;
