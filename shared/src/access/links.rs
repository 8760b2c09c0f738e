//! Emailed single-use links (registration completion, invitations): the checks
//! every link step makes, with the words that step uses for each refusal.

use crate::domain::completion_token::{self, TokenRefusal};
use crate::domain::timestamp::Timestamp;
use crate::error::AppError;
use crate::error::ConflictKind;

pub struct LinkWords {
    pub unknown: &'static str,
    pub used: &'static str,
    pub expired: &'static str,
}

impl LinkWords {
    /// A presented secret that cannot be one of ours is unknown without a lookup.
    pub fn well_formed<'a>(&self, secret: &'a str) -> Result<&'a str, AppError> {
        if completion_token::looks_like_secret(secret) {
            Ok(secret)
        } else {
            Err(AppError::NotFound(self.unknown.into()))
        }
    }

    /// Whether a stored link may still be used; returns its expiry.
    pub fn usable(&self, used: bool, expires_at: Timestamp, now: Timestamp) -> Result<Timestamp, AppError> {
        completion_token::check_usable(used, *expires_at, *now).map_err(|refusal| match refusal {
            TokenRefusal::Used => AppError::conflict(ConflictKind::LinkUsed, self.used),
            TokenRefusal::Expired => AppError::Gone(self.expired.into()),
        })?;
        Ok(expires_at)
    }

    pub fn not_found(&self) -> AppError {
        AppError::NotFound(self.unknown.into())
    }

    pub fn used(&self) -> AppError {
        AppError::conflict(ConflictKind::LinkUsed, self.used)
    }
}
