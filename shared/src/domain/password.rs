//! The password policy, mirrored from the user pool in template.yaml so a
//! practice manager hears every unmet rule before anything is written.

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 256;

/// The API document's password pattern: the same rules as `check_password`.
pub fn pattern() -> String {
    format!(
        "^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9])(?=.*[!-/:-@\\[-`{{-~])(?!\\s)(?!.*\\s$)[^\\x00-\\x1F\\x7F-\\x9F]{{{MIN_LENGTH},{MAX_LENGTH}}}$"
    )
}

/// Every rule the password breaks, as one sentence; Ok when it meets them all.
pub fn check_password(password: &str) -> Result<(), String> {
    let length = password.chars().count();
    if length > MAX_LENGTH {
        return Err(format!("Your password must be {MAX_LENGTH} characters or fewer"));
    }
    let mut missing = Vec::new();
    if length < MIN_LENGTH {
        missing.push(format!("at least {MIN_LENGTH} characters"));
    }
    if !password.chars().any(|c| c.is_ascii_lowercase()) {
        missing.push("a lower-case letter".to_string());
    }
    if !password.chars().any(|c| c.is_ascii_uppercase()) {
        missing.push("a capital letter".to_string());
    }
    if !password.chars().any(|c| c.is_ascii_digit()) {
        missing.push("a number".to_string());
    }
    if !password.chars().any(|c| c.is_ascii_punctuation()) {
        missing.push("a symbol such as ! or #".to_string());
    }
    if password.trim() != password {
        return Err("Your password cannot start or end with a space".to_string());
    }
    if password.chars().any(char::is_control) {
        return Err("Your password cannot contain tabs or line breaks".to_string());
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("Your password needs {}", join_list(&missing)))
    }
}

fn join_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_strong_password_passes() {
        assert!(check_password("Riverside#Surgery2026").is_ok());
    }

    #[test]
    fn every_missing_rule_is_named() {
        assert_eq!(
            check_password("short").unwrap_err(),
            "Your password needs at least 12 characters, a capital letter, a number and a symbol such as ! or #"
        );
        assert_eq!(check_password("alllowercase1!").unwrap_err(), "Your password needs a capital letter");
        assert!(check_password(" Leading#Space1").is_err());
        assert!(check_password(&"Aa1!".repeat(70)).unwrap_err().contains("256"));
    }
}
