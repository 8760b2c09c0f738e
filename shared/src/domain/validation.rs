//! Field-level validation errors, collected so a form reports every problem at once.

use serde::Serialize;

/// A name as one step of a JSON pointer (RFC 6901): `~` is written `~0` and
/// `/` is written `~1`, so a key holding either still points at itself.
pub fn pointer_segment(name: &str) -> std::borrow::Cow<'_, str> {
    if name.contains(['~', '/']) {
        std::borrow::Cow::Owned(name.replace('~', "~0").replace('/', "~1"))
    } else {
        std::borrow::Cow::Borrowed(name)
    }
}

/// One problem with one field, addressed by a JSON pointer into the request body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldError {
    /// The field, as a JSON pointer (`/lines/0/units`).
    pub pointer: String,
    /// What is wrong with it, and how to put it right.
    pub detail: String,
}

/// Every problem found in a request; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: &str, detail: impl Into<String>) {
        self.0.push(FieldError { pointer: format!("/{field}"), detail: detail.into() });
    }

    /// Records the error of a parse, keeping its value when it succeeded.
    pub fn check<T>(&mut self, field: &str, parsed: Result<T, String>) -> Option<T> {
        match parsed {
            Ok(value) => Some(value),
            Err(detail) => {
                self.add(field, detail);
                None
            }
        }
    }

    pub fn single(field: &str, detail: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, detail);
        errors
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Where the problems are, in order.
    pub fn pointers(&self) -> Vec<String> {
        self.0.iter().map(|e| e.pointer.clone()).collect()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// `Ok(())` when nothing was recorded.
    pub fn into_result(self) -> Result<(), FieldErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

/// A required text field: present, not blank, at most `max` characters as
/// sent (the limit the form and the API document state), kept trimmed.
pub fn required_text(value: Option<&str>, label: &str, max: usize) -> Result<String, String> {
    let trimmed = value.map(str::trim).unwrap_or_default();
    if trimmed.is_empty() {
        return Err(format!("Enter {label}"));
    }
    if value.unwrap_or_default().chars().count() > max {
        return Err(format!("{} must be {max} characters or fewer", capitalise(label)));
    }
    Ok(trimmed.to_string())
}

fn capitalise(label: &str) -> String {
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_every_error_with_a_pointer() {
        let mut errors = FieldErrors::new();
        errors.add("email", "Enter an email address");
        errors.add("firstName", "Enter a first name");
        let pointers: Vec<_> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/email", "/firstName"]);
        assert!(errors.into_result().is_err());
        assert!(FieldErrors::new().into_result().is_ok());
    }

    #[test]
    fn required_text_trims_and_limits() {
        assert_eq!(required_text(Some("  Jane "), "a first name", 50).unwrap(), "Jane");
        assert_eq!(required_text(Some("   "), "a first name", 50).unwrap_err(), "Enter a first name");
        assert_eq!(required_text(None, "a reason", 5).unwrap_err(), "Enter a reason");
        assert_eq!(required_text(Some("abcdef"), "a reason", 5).unwrap_err(), "A reason must be 5 characters or fewer");
    }
}
