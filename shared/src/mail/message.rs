//! An email waiting in the mail queue: already rendered, addressed, and with an
//! id so the mailer sends it once however often it is delivered.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MailMessage {
    pub id: String,
    /// What it is about, for logs (never the address or content).
    pub kind: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}
