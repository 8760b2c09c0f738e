//! People's names as entered on a registration or invitation.

use super::nhs_number::refuse_pid;
use super::validation::required_text;

pub const NAME_MAX: usize = 50;

/// A first or last name: letters (any alphabet), spaces, hyphens, apostrophes and full stops.
pub fn parse_name(value: Option<&str>, label: &str) -> Result<String, String> {
    let name = required_text(value, label, NAME_MAX)?;
    refuse_pid(&name)?;
    let allowed = |c: char| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’' | '.');
    if name.chars().all(allowed) {
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
        for name in ["Jane", "O'Brien", "Smith-Jones", "Zoë", "Mary Ann", "St. John"] {
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
    }
}
