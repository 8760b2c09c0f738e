//! People's names as entered on a registration or invitation.

use super::nhs_number::refuse_pid;
use super::validation::required_text;

pub const NAME_MAX: usize = 50;

/// What a name never holds: digits, symbols (bar the hyphen, apostrophe and
/// full stop) and control characters. Everything else is a letter of some
/// alphabet, a mark on one, or a space — said the same way in the API
/// document's `PersonName` pattern, so a name is judged alike on both sides.
const NOT_IN_A_NAME: &str = "0123456789!\"#$%&()*+,/:;<=>?@[\\]^_`{|}~";

/// The API document's `PersonName` pattern: what a name never holds, as a
/// class, with at least one character that is not a space.
pub fn name_pattern() -> String {
    let never: String = NOT_IN_A_NAME
        .chars()
        .map(|c| if matches!(c, '[' | ']' | '\\' | '^' | '-') { format!("\\{c}") } else { c.to_string() })
        .collect::<String>()
        .replacen("0123456789", "0-9", 1);
    let controls = "\\x00-\\x1F\\x7F-\\x9F";
    format!("^[^{never}{controls}]*[^\\s{never}{controls}][^{never}{controls}]*$")
}

/// A first or last name: letters (any alphabet), spaces, hyphens, apostrophes and full stops.
pub fn parse_name(value: Option<&str>, label: &str) -> Result<String, String> {
    let name = required_text(value, label, NAME_MAX)?;
    refuse_pid(&name)?;
    let allowed = |c: char| !c.is_control() && !NOT_IN_A_NAME.contains(c);
    // Judged as sent: a control character is refused even where trimming would drop it.
    if value.unwrap_or_default().chars().all(allowed) {
        Ok(name)
    } else {
        Err(format!("{} can only include letters, spaces, hyphens and apostrophes", sentence(label)))
    }
}

fn sentence(label: &str) -> String {
    let trimmed = label.trim_start_matches("a ").trim_start_matches("an ");
    let mut chars = trimmed.chars();
    chars.next().map(|first| first.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_real_names() {
        for name in ["Jane", "O'Brien", "Smith-Jones", "Zoë", "Mary Ann", "St. John", "Łukasz", "Nguyễn", "Σοφία", "李"]
        {
            assert_eq!(parse_name(Some(name), "a first name").unwrap(), name);
        }
    }

    #[test]
    fn refuses_blank_long_or_odd_names() {
        assert_eq!(parse_name(Some(""), "a first name").unwrap_err(), "Enter a first name");
        assert!(parse_name(Some(&"a".repeat(51)), "a last name").is_err());
        assert_eq!(
            parse_name(Some("J4ne"), "a first name").unwrap_err(),
            "First name can only include letters, spaces, hyphens and apostrophes"
        );
        assert!(parse_name(Some("943 476 5919"), "a last name").unwrap_err().contains("NHS number"));
        for odd in ["<b>Jo</b>", "jo@nhs.net", "Jo_Bloggs", "Jo\u{85}"] {
            assert!(parse_name(Some(odd), "a first name").is_err(), "{odd}");
        }
    }
}

/// Whom something is about, as screens list them and letters greet them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PersonNames<'a> {
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
}

impl PersonNames<'_> {
    /// "Jane Smith".
    pub fn full_name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
    }
}
