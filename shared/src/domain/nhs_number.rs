//! Patient-identifiable data guard: spots valid NHS numbers in free text.

/// True when ten digits form a valid NHS number (Modulus 11 check digit).
pub fn is_valid_nhs_number(digits: &[u8; 10]) -> bool {
    if digits.iter().any(|d| *d > 9) {
        return false;
    }
    let sum: u32 = digits[..9].iter().zip((2..=10).rev()).map(|(digit, weight)| u32::from(*digit) * weight).sum();
    let check = match 11 - (sum % 11) {
        11 => 0,
        10 => return false,
        other => other,
    };
    check == u32::from(digits[9])
}

/// True when the text holds a valid NHS number, written plain (9434765919) or
/// grouped with single spaces or hyphens (943 476 5919, 943-476-5919).
pub fn contains_nhs_number(text: &str) -> bool {
    digit_runs(text)
        .iter()
        .any(|run| <[u8; 10]>::try_from(run.as_slice()).is_ok_and(|digits| is_valid_nhs_number(&digits)))
}

/// Runs of digits joined by at most one space or hyphen between digits.
fn digit_runs(text: &str) -> Vec<Vec<u8>> {
    let mut runs = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    let mut pending_separator = false;
    for c in text.chars() {
        if let Some(digit) = c.to_digit(10).filter(|_| c.is_ascii_digit()) {
            current.push(digit as u8);
            pending_separator = false;
        } else if (c == ' ' || c == '-') && !current.is_empty() && !pending_separator {
            pending_separator = true;
        } else {
            if !current.is_empty() {
                runs.push(std::mem::take(&mut current));
            }
            pending_separator = false;
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// The message shown when free text holds an NHS number.
pub const PID_REFUSAL: &str =
    "Remove the NHS number: patient identifiable data must never be entered into Local Claims";

/// Refuses text that holds an NHS number.
pub fn refuse_pid(text: &str) -> Result<(), String> {
    if contains_nhs_number(text) {
        Err(PID_REFUSAL.to_string())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_follows_modulus_11() {
        assert!(is_valid_nhs_number(&[9, 4, 3, 4, 7, 6, 5, 9, 1, 9]));
        assert!(!is_valid_nhs_number(&[9, 4, 3, 4, 7, 6, 5, 9, 1, 8]));
    }

    #[test]
    fn a_remainder_of_ten_is_never_valid() {
        // 5th digit 2 × weight 6 = 12; 12 mod 11 = 1; 11 − 1 = 10: no check digit can match.
        for last in 0..10u8 {
            assert!(!is_valid_nhs_number(&[0, 0, 0, 0, 2, 0, 0, 0, 0, last]));
        }
    }

    #[test]
    fn check_digit_eleven_becomes_zero() {
        // Weighted sum 0 → 11 − 0 = 11 → check digit 0.
        assert!(is_valid_nhs_number(&[0; 10]));
        assert!(!is_valid_nhs_number(&[0, 0, 0, 0, 0, 0, 0, 0, 0, 1]));
    }

    #[test]
    fn finds_numbers_written_plainly_or_grouped() {
        assert!(contains_nhs_number("Patient 9434765919 attended"));
        assert!(contains_nhs_number("NHS no: 943 476 5919."));
        assert!(contains_nhs_number("943-476-5919"));
        assert!(contains_nhs_number("ref:9434765919"));
    }

    #[test]
    fn ignores_other_numbers() {
        assert!(!contains_nhs_number("9434765918"), "wrong check digit");
        assert!(!contains_nhs_number("Call 01234 567890"), "11-digit phone number");
        assert!(!contains_nhs_number("12 Complex Care Plans at £193.42"));
        assert!(!contains_nhs_number("94347659190"), "part of a longer number");
        assert!(!contains_nhs_number("943  476 5919"), "double space breaks the run");
        assert!(refuse_pid("Quarter 1 claim").is_ok());
        assert_eq!(refuse_pid("9434765919").unwrap_err(), PID_REFUSAL);
    }
}
