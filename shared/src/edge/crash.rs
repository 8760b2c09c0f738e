//! Ending a function's process at a chosen point of its step, in local tests
//! only, to show that a retry finishes the work exactly once. In AWS the
//! variable below is never set, and a point costs one environment lookup.
//!
//! `LOCAL_CLAIMS_CRASH_FILE` names a JSON file of `{"function", "point"}`
//! entries. A function reaching a point named for it takes the entry out of
//! the file (so the retry runs on) and exits at once, as a Lambda process that
//! ran out of memory or was killed does: nothing after the point happens.

use std::path::Path;

const CRASH_FILE: &str = "LOCAL_CLAIMS_CRASH_FILE";

/// Ends the process here if the crash file asks it to, once.
pub fn crash_point(point: &str) {
    let Some(file) = std::env::var_os(CRASH_FILE) else { return };
    let function = std::env::var("AWS_LAMBDA_FUNCTION_NAME").unwrap_or_default();
    if take_entry(Path::new(&file), &function, point) {
        tracing::warn!(function = %function, point, "ending the process here, as asked by the crash file");
        std::process::exit(70);
    }
}

/// Whether `file` holds an entry for this function and point; if so it is removed.
fn take_entry(file: &Path, function: &str, point: &str) -> bool {
    let Ok(text) = std::fs::read_to_string(file) else { return false };
    let Ok(mut entries) = serde_json::from_str::<Vec<serde_json::Value>>(&text) else { return false };
    let matches = |entry: &serde_json::Value| entry["function"] == function && entry["point"] == point;
    let Some(index) = entries.iter().position(matches) else { return false };
    entries.remove(index);
    let written = serde_json::to_string(&entries).map(|rest| std::fs::write(file, rest));
    matches!(written, Ok(Ok(())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_taken_once_and_others_are_left() {
        let file = std::env::temp_dir().join(format!("crash-{}.json", uuid::Uuid::new_v4()));
        std::fs::write(
            &file,
            r#"[{"function":"submit-claim","point":"after-transaction"},{"function":"decide-claim","point":"x"}]"#,
        )
        .unwrap();
        assert!(!take_entry(&file, "submit-claim", "before-transaction"));
        assert!(take_entry(&file, "submit-claim", "after-transaction"));
        assert!(!take_entry(&file, "submit-claim", "after-transaction"), "once only");
        assert!(take_entry(&file, "decide-claim", "x"));
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "[]");
        std::fs::remove_file(&file).unwrap();
        assert!(!take_entry(&file, "decide-claim", "x"), "no file, no crash");
    }
}
