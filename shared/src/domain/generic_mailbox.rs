//! Registrations must come from an identifiable person, not a shared mailbox.
//! The seed asks reviewers to reject those; this flags them so none slip through.

use super::email::Email;
use super::ods::OdsCode;

/// Words that name a function or a place rather than a person.
const GENERIC_WORDS: &[&str] = &[
    "accounts",
    "admin",
    "administration",
    "administrator",
    "appointments",
    "clinic",
    "contact",
    "data",
    "dispensary",
    "enquiries",
    "enquiry",
    "finance",
    "general",
    "gp",
    "group",
    "health",
    "hello",
    "info",
    "information",
    "it",
    "mail",
    "mailbox",
    "manager",
    "medical",
    "nhs",
    "noreply",
    "office",
    "pm",
    "practice",
    "prescriptions",
    "reception",
    "referrals",
    "secretaries",
    "secretary",
    "shared",
    "staff",
    "support",
    "surgery",
    "team",
];

/// Why an address looks like a shared mailbox, or None when it looks personal.
pub fn generic_mailbox_reason(
    email: &Email, first_name: &str, last_name: &str, organisation: &OdsCode,
) -> Option<String> {
    let local = email.local_part().to_lowercase();
    let words: Vec<&str> = local.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let first = first_name.to_lowercase();
    let last = last_name.to_lowercase();

    if let Some(word) = [first.as_str(), last.as_str()].into_iter().find(|n| is_generic_word(n)) {
        return Some(format!("The name \"{word}\" does not identify an individual person"));
    }
    let names_the_person = [first.as_str(), last.as_str()]
        .iter()
        .flat_map(|name| name.split(|c: char| !c.is_alphanumeric()))
        .filter(|part| part.chars().count() >= 2)
        .any(|part| local.contains(part));
    if names_the_person {
        return None;
    }
    let code = organisation.as_str().to_lowercase();
    if words.iter().any(|w| w.contains(&code)) {
        return Some(format!(
            "The email address contains the organisation code {} and not the person's name, so it looks like a shared mailbox",
            organisation
        ));
    }
    words.iter().find(|w| is_generic_word(w)).map(|word| {
        format!("The email address \"{local}@…\" names a role or place (\"{word}\") rather than the person, so it looks like a shared mailbox")
    })
}

fn is_generic_word(word: &str) -> bool {
    let stripped = word.trim_end_matches(|c: char| c.is_ascii_digit());
    GENERIC_WORDS.contains(&stripped)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(email: &str, first: &str, last: &str) -> Option<String> {
        generic_mailbox_reason(&Email::parse(email).unwrap(), first, last, &OdsCode::parse("A81001").unwrap())
    }

    #[test]
    fn personal_addresses_are_not_flagged() {
        assert_eq!(check("jane.smith@nhs.net", "Jane", "Smith"), None);
        assert_eq!(check("jsmith1@nhs.net", "Jane", "Smith"), None);
        assert_eq!(check("j.smith-jones@nhs.net", "Jane", "Smith-Jones"), None);
        assert_eq!(check("jane.admin@nhs.net", "Jane", "Smith"), None, "names the person");
    }

    #[test]
    fn shared_mailboxes_are_flagged_with_a_reason() {
        assert!(check("reception@nhs.net", "Jane", "Smith").unwrap().contains("\"reception\""));
        assert!(check("admin@riverside.nhs.uk", "Jane", "Smith").unwrap().contains("shared mailbox"));
        assert!(check("gp.a81001@nhs.net", "Jane", "Smith").unwrap().contains("A81001"));
        assert!(check("practice.manager2@nhs.net", "Jane", "Smith").is_some());
    }

    #[test]
    fn generic_names_are_flagged() {
        let reason = check("reception.team@nhs.net", "Reception", "Team").unwrap();
        assert!(reason.contains("does not identify an individual"));
    }
}
