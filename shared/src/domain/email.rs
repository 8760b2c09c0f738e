//! Email addresses, parsed by the `email_address` crate and compared case-insensitively.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

pub const MAX_LENGTH: usize = 254;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    /// Lower-cased, so one person cannot hold two accounts by changing case.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let candidate = raw.trim().to_lowercase();
        if candidate.is_empty() {
            return Err("Enter an email address".to_string());
        }
        if candidate.len() > MAX_LENGTH {
            return Err(format!("Email address must be {MAX_LENGTH} characters or fewer"));
        }
        let has_domain_dot = candidate.rsplit_once('@').is_some_and(|(_, domain)| domain.contains('.'));
        match email_address::EmailAddress::from_str(&candidate) {
            Ok(_) if has_domain_dot => Ok(Self(candidate)),
            _ => Err("Enter an email address in the correct format, like name@nhs.net".to_string()),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn local_part(&self) -> &str {
        self.0.rsplit_once('@').map(|(local, _)| local).unwrap_or(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_space() {
        let email = Email::parse("  Jane.Smith@NHS.net ").unwrap();
        assert_eq!(email.as_str(), "jane.smith@nhs.net");
        assert_eq!(email.local_part(), "jane.smith");
    }

    #[test]
    fn refuses_malformed_addresses() {
        for raw in ["", "jane", "jane@", "@nhs.net", "jane smith@nhs.net", "jane@nhs"] {
            assert!(Email::parse(raw).is_err(), "{raw:?} should be refused");
        }
        let long = format!("{}@nhs.net", "a".repeat(250));
        assert!(Email::parse(&long).unwrap_err().contains("254"));
    }
}
