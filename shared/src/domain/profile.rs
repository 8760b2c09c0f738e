//! My Profile: a person's own name.

use super::person::parse_name;
use super::validation::FieldErrors;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileForm {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
}

impl ProfileForm {
    /// The new (first, last) name; absent fields keep the current value.
    pub fn apply(&self, first: &str, last: &str) -> Result<(String, String), FieldErrors> {
        if self.first_name.is_none() && self.last_name.is_none() {
            return Err(FieldErrors::single("firstName", "Enter the details you want to change"));
        }
        let mut errors = FieldErrors::new();
        let first = match &self.first_name {
            Some(value) => errors.check("firstName", parse_name(Some(value), "a first name")),
            None => Some(first.to_string()),
        };
        let last = match &self.last_name {
            Some(value) => errors.check("lastName", parse_name(Some(value), "a last name")),
            None => Some(last.to_string()),
        };
        match (first, last) {
            (Some(first), Some(last)) if errors.is_empty() => Ok((first, last)),
            _ => Err(errors),
        }
    }
}

/// A change of name: at least one of the two.
impl crate::edge::openapi::FormSchema for ProfileForm {
    fn body_schema(operation: &mut crate::edge::openapi::Operation) -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
        let name = serde_json::json!({"$ref": "#/components/schemas/PersonName"});
        let schema = serde_json::json!({
            "type": "object",
            "properties": {"firstName": name, "lastName": name},
            "anyOf": [{"required": ["firstName"]}, {"required": ["lastName"]}],
        });
        operation.schema_written("ProfileForm", schema)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_what_is_given_and_keeps_the_rest() {
        let form = ProfileForm { first_name: Some("Joanna".into()), last_name: None };
        assert_eq!(form.apply("Jo", "Bloggs").unwrap(), ("Joanna".into(), "Bloggs".into()));
        assert!(ProfileForm::default().apply("Jo", "Bloggs").is_err());
        let bad = ProfileForm { first_name: Some("".into()), last_name: Some("B1oggs".into()) };
        assert_eq!(bad.apply("Jo", "Bloggs").unwrap_err().iter().count(), 2);
    }
}
