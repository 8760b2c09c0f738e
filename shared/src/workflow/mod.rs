//! Steps more than one function takes, built from the other layers.

pub mod evidence_checked;
pub mod payment_runs;
