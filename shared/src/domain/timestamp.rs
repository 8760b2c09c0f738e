//! An instant, as the service stores and shows it: UTC with six fixed decimal
//! places (`2026-11-26T10:00:00.000000Z`), so stored instants sort as text in
//! time order and every API answer writes them the same way.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(jiff::Timestamp);

impl Timestamp {
    pub fn now() -> Self {
        Self(jiff::Timestamp::now())
    }

    /// The instant itself, for arithmetic and England's calendar.
    pub fn instant(self) -> jiff::Timestamp {
        self.0
    }
}

/// The Unix epoch: what an item written before a time was recorded reads as.
impl Default for Timestamp {
    fn default() -> Self {
        Self(jiff::Timestamp::UNIX_EPOCH)
    }
}

impl std::ops::Deref for Timestamp {
    type Target = jiff::Timestamp;

    fn deref(&self) -> &jiff::Timestamp {
        &self.0
    }
}

impl From<Timestamp> for jiff::Timestamp {
    fn from(at: Timestamp) -> Self {
        at.0
    }
}

impl From<jiff::Timestamp> for Timestamp {
    fn from(at: jiff::Timestamp) -> Self {
        Self(at)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.6}", self.0)
    }
}

impl FromStr for Timestamp {
    type Err = jiff::Error;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.parse().map(Self)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// In the document: an instant, as RFC 3339 text in UTC.
impl utoipa::PartialSchema for Timestamp {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(utoipa::openapi::KnownFormat::DateTime)))
            .into()
    }
}

impl utoipa::ToSchema for Timestamp {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_have_fixed_width_so_they_sort_as_text() {
        let whole: Timestamp = "2026-11-26T10:00:00Z".parse().unwrap();
        let fraction: Timestamp = "2026-11-26T10:00:00.5Z".parse().unwrap();
        assert_eq!(whole.to_string(), "2026-11-26T10:00:00.000000Z");
        assert_eq!(fraction.to_string(), "2026-11-26T10:00:00.500000Z");
        assert!(whole.to_string() < fraction.to_string());
        assert!(whole < fraction);
    }

    #[test]
    fn stored_text_reads_back_as_the_same_instant() {
        let at: Timestamp = "2026-03-29T00:59:59.123456Z".parse().unwrap();
        let stored = serde_json::to_value(at).unwrap();
        assert_eq!(stored, "2026-03-29T00:59:59.123456Z");
        assert_eq!(serde_json::from_value::<Timestamp>(stored).unwrap(), at);
        assert!(serde_json::from_value::<Timestamp>(serde_json::json!("yesterday")).is_err());
    }
}
