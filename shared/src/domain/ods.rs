//! ODS codes identify NHS organisations. They are opaque: validated for shape only.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OdsCode(String);

impl OdsCode {
    /// Accepts 3–10 letters and digits as written, in either case (no
    /// surrounding spaces): the API document's `OdsCode` pattern.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let code = raw.to_ascii_uppercase();
        let shape_ok = (3..=10).contains(&code.len()) && code.chars().all(|c| c.is_ascii_alphanumeric());
        if shape_ok {
            Ok(Self(code))
        } else {
            Err("Enter an ODS code of 3 to 10 letters and numbers, for example A81001".to_string())
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A form's ODS code field: `missing` is the message when it is blank.
pub fn required_ods_code(value: Option<&str>, missing: &str) -> Result<OdsCode, String> {
    match value {
        None | Some("") => Err(missing.to_string()),
        Some(code) => OdsCode::parse(code),
    }
}

impl TryFrom<String> for OdsCode {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<OdsCode> for String {
    fn from(code: OdsCode) -> Self {
        code.0
    }
}

impl fmt::Display for OdsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// In the document: an ODS code, as text.
impl utoipa::PartialSchema for OdsCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some("^[A-Za-z0-9]{3,10}$"))
            .description(Some("An ODS code (3–10 letters and digits; upper-cased when read)."))
            .examples([serde_json::json!("A81001")])
            .into()
    }
}

impl utoipa::ToSchema for OdsCode {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_practice_pcn_and_icb_codes_normalised() {
        for (raw, code) in [("A81001", "A81001"), ("u12345", "U12345"), ("QHM", "QHM"), ("00L", "00L")] {
            assert_eq!(OdsCode::parse(raw).unwrap().as_str(), code);
        }
    }

    #[test]
    fn refuses_codes_of_the_wrong_shape() {
        for raw in ["", "AB", "A8100-1", "A81001A81001", "A81 001", " A81001"] {
            assert!(OdsCode::parse(raw).is_err(), "{raw:?} should be refused");
        }
    }
}
