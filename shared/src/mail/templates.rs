//! The emails the service sends. Plain words, the facts the person needs, and
//! nothing a practice would not expect from its commissioner.

use super::message::MailMessage;
pub use crate::domain::uk_time::uk_date_time;
use html_escape::encode_text;

struct Letter<'a> {
    kind: &'a str,
    to: &'a str,
    subject: String,
    greeting: String,
    paragraphs: Vec<String>,
    link: Option<(&'a str, &'a str)>,
}

impl Letter<'_> {
    fn render(self) -> MailMessage {
        let mut text = format!("{}\n\n", self.greeting);
        let mut html = format!("<p>{}</p>\n", encode_text(&self.greeting));
        for paragraph in &self.paragraphs {
            text.push_str(paragraph);
            text.push_str("\n\n");
            html.push_str(&format!("<p>{}</p>\n", encode_text(paragraph)));
        }
        if let Some((label, url)) = self.link {
            text.push_str(&format!("{label}: {url}\n\n"));
            html.push_str(&format!(
                "<p><a href=\"{}\">{}</a></p>\n<p>If the link does not work, copy this address into your browser: {}</p>\n",
                html_escape::encode_double_quoted_attribute(url),
                encode_text(label),
                encode_text(url)
            ));
        }
        text.push_str("Local Claims\nPlease do not reply to this email.\n");
        html.push_str("<p>Local Claims<br>Please do not reply to this email.</p>\n");
        MailMessage {
            id: uuid::Uuid::now_v7().to_string(),
            kind: self.kind.to_string(),
            to: self.to.to_string(),
            subject: self.subject,
            text,
            html,
        }
    }
}

/// Whom a letter is to (a record's `names()`).
pub type Addressee<'a> = crate::domain::person::PersonNames<'a>;

pub fn registration_approved(
    to: &Addressee<'_>, organisation: &str, role: &str, link: &str, expires_on: &str,
) -> MailMessage {
    Letter {
        kind: "registration-approved",
        to: to.email,
        subject: "Your Local Claims registration has been approved".into(),
        greeting: format!("Dear {} {},", to.first_name, to.last_name),
        paragraphs: vec![
            format!("Your request for a Local Claims account as {role} at {organisation} has been approved."),
            format!(
                "To finish setting up your account, open the link below and choose a password. \
                 The link can be used once and expires on {expires_on}."
            ),
        ],
        link: Some(("Complete your registration", link)),
    }
    .render()
}

pub fn registration_rejected(to: &Addressee<'_>, organisation: &str, reason: &str) -> MailMessage {
    Letter {
        kind: "registration-rejected",
        to: to.email,
        subject: "Your Local Claims registration has been rejected".into(),
        greeting: format!("Dear {} {},", to.first_name, to.last_name),
        paragraphs: vec![
            format!("Your request for a Local Claims account at {organisation} has been rejected."),
            format!("The reason given was: {reason}"),
            "If you think this is wrong, contact your Primary Care Team. You can register again \
             using your own work email address."
                .to_string(),
        ],
        link: None,
    }
    .render()
}

pub fn invitation(
    to: &Addressee<'_>, organisation: &str, role: &str, invited_by: &str, link: &str, expires_on: &str,
    existing_account: bool,
) -> MailMessage {
    let next_step = if existing_account {
        "Open the link below and sign in with your existing Local Claims email address and password to accept."
    } else {
        "Open the link below and choose a password to set up your Local Claims account."
    };
    Letter {
        kind: "invitation",
        to: to.email,
        subject: format!("You have been invited to Local Claims for {organisation}"),
        greeting: format!("Dear {} {},", to.first_name, to.last_name),
        paragraphs: vec![
            format!("{invited_by} has invited you to Local Claims as {role} at {organisation}."),
            format!("{next_step} The link can be used once and expires on {expires_on}."),
            "If you were not expecting this invitation, you can ignore this email.".to_string(),
        ],
        link: Some(("Accept the invitation", link)),
    }
    .render()
}

pub fn access_approved(to: &Addressee<'_>, organisation: &str, role: &str) -> MailMessage {
    Letter {
        kind: "access-approved",
        to: to.email,
        subject: format!("Your access to {organisation} has been approved"),
        greeting: format!("Dear {} {},", to.first_name, to.last_name),
        paragraphs: vec![format!(
            "Your request for access as {role} at {organisation} has been approved. Sign in to Local Claims to use it."
        )],
        link: None,
    }
    .render()
}

pub fn access_rejected(to: &Addressee<'_>, organisation: &str, reason: &str) -> MailMessage {
    Letter {
        kind: "access-rejected",
        to: to.email,
        subject: format!("Your request for access to {organisation} has been rejected"),
        greeting: format!("Dear {} {},", to.first_name, to.last_name),
        paragraphs: vec![
            format!("Your request for access to {organisation} has been rejected."),
            format!("The reason given was: {reason}"),
        ],
        link: None,
    }
    .render()
}

pub fn access_revoked(to: &Addressee<'_>, organisation: &str) -> MailMessage {
    Letter {
        kind: "access-revoked",
        to: to.email,
        subject: format!("Your access to {organisation} has been revoked"),
        greeting: format!("Dear {} {},", to.first_name, to.last_name),
        paragraphs: vec![
            format!("Your access to {organisation} in Local Claims has been revoked by an administrator."),
            "You can still sign in and use My Profile, where you can request access to another organisation."
                .to_string(),
        ],
        link: None,
    }
    .render()
}

pub fn access_enabled(to: &Addressee<'_>, organisation: &str) -> MailMessage {
    Letter {
        kind: "access-enabled",
        to: to.email,
        subject: format!("Your access to {organisation} has been restored"),
        greeting: format!("Dear {} {},", to.first_name, to.last_name),
        paragraphs: vec![format!("Your access to {organisation} in Local Claims has been given back.")],
        link: None,
    }
    .render()
}

pub fn account_disabled(to: &Addressee<'_>, reason: &str, by_yourself: bool) -> MailMessage {
    let who = if by_yourself { "at your request" } else { "by an administrator" };
    Letter {
        kind: "account-disabled",
        to: to.email,
        subject: "Your Local Claims account has been disabled".into(),
        greeting: format!("Dear {} {},", to.first_name, to.last_name),
        paragraphs: vec![
            format!("Your Local Claims account has been disabled {who}. You can no longer sign in."),
            format!("Reason: {reason}"),
            "Your records are kept. If you need access again, contact your Commissioning Administrator.".to_string(),
        ],
        link: None,
    }
    .render()
}

/// The submitter's confirmation: the claim id, what it is for, its total and
/// where it has gone.
pub fn claim_submitted(
    to: &Addressee<'_>, claim_id: u64, provider: &str, services: &[String], total: &str, status: &str, link: &str,
) -> MailMessage {
    Letter {
        kind: "claim-submitted",
        to: to.email,
        subject: format!("Claim {claim_id} submitted"),
        greeting: format!("Dear {} {},", to.first_name, to.last_name),
        paragraphs: vec![
            format!("Claim {claim_id} for {provider} has been submitted."),
            format!("It claims {} for {}.", total, services.join(", ")),
            format!("Its status is now {status}. You will get an email when it is decided."),
        ],
        link: Some(("View the claim", link)),
    }
    .render()
}

/// A practice user's claim waits for one of the practice's approvers. The id
/// is fixed per submission, so a retried submit emails no one twice.
pub fn claim_awaits_approval(
    to: &Addressee<'_>, recipient_id: &str, claim_id: u64, submitted_by: &str, total: &str, submission_number: usize,
    link: &str,
) -> MailMessage {
    let mut message = Letter {
        kind: "claim-awaits-approval",
        to: to.email,
        subject: format!("Claim {claim_id} is waiting for your approval"),
        greeting: format!("Dear {} {},", to.first_name, to.last_name),
        paragraphs: vec![
            format!("{submitted_by} has submitted claim {claim_id} for {total}."),
            "Your practice asks for an approver to check each claim before it goes to the commissioner. \
             Approve it, or return it with a reason."
                .to_string(),
        ],
        link: Some(("Review the claim", link)),
    }
    .render();
    message.id = format!("claim-{claim_id}-awaits-approval-{submission_number}-{recipient_id}");
    message
}

/// A payment as a practice hears of it.
#[derive(Clone, Copy)]
pub struct Payment<'a> {
    pub run_id: &'a str,
    pub provider: &'a str,
    pub commissioner: &'a str,
    /// "15 December 2026".
    pub payment_date: &'a str,
    pub claims: u64,
    pub total: &'a str,
    pub link: &'a str,
}

pub fn remittance_issued(to: &Addressee<'_>, recipient_id: &str, payment: Payment<'_>) -> MailMessage {
    let Payment { run_id, provider, commissioner, payment_date, claims, total, link } = payment;
    let mut message = Letter {
        kind: "remittance",
        to: to.email,
        subject: format!("Payment of {total} on {payment_date}"),
        greeting: format!("Dear {} {},", to.first_name, to.last_name),
        paragraphs: vec![
            format!("{commissioner} will pay {provider} {total} on {payment_date} for {claims} claim(s)."),
            "The remittance advice lists each claim and line the payment is for, so you can match it to your bank \
             statement."
                .to_string(),
        ],
        link: Some(("View the remittance advice", link)),
    }
    .render();
    message.id = format!("remittance-{run_id}-{recipient_id}");
    message
}

/// The evidence check refused a file after submission: the claim is back
/// with the practice. The id is fixed per return, so a retried scan queues the
/// same email and the mailer sends it once.
pub fn claim_returned_by_check(
    to: &Addressee<'_>, claim_id: u64, provider: &str, reason: &str, return_number: usize, link: &str,
) -> MailMessage {
    let mut message = Letter {
        kind: "claim-returned",
        to: to.email,
        subject: format!("Claim {claim_id} needs a new evidence file"),
        greeting: format!("Dear {} {},", to.first_name, to.last_name),
        paragraphs: vec![
            format!("Claim {claim_id} for {provider} has been returned to your practice: its status is now Returned for amendment."),
            format!("{reason}."),
            "Nothing else in the claim has changed. The refused file cannot be downloaded by anyone.".to_string(),
        ],
        link: Some(("Open the claim", link)),
    }
    .render();
    message.id = format!("claim-{claim_id}-returned-{return_number}");
    message
}

/// A reviewer's decision on a claim, as the practice hears of it.
pub struct ClaimDecision<'a> {
    pub claim_id: u64,
    pub provider: &'a str,
    /// "Tier 1", "practice approval"…
    pub stage: &'a str,
    /// "approved", "returned", "rejected".
    pub action: &'a str,
    pub status: &'a str,
    pub reason: Option<&'a str>,
    /// Which entry of the claim's history this is: with the addressee, the
    /// email's id, so a retried decision emails no one twice.
    pub decision_number: usize,
    /// Notes on particular lines: (line name, note).
    pub line_notes: &'a [(String, String)],
    pub link: &'a str,
}

pub fn claim_decided(to: &Addressee<'_>, recipient_id: &str, decision: &ClaimDecision<'_>) -> MailMessage {
    let ClaimDecision { claim_id, provider, stage, action, status, reason, decision_number, line_notes, link } =
        *decision;
    let mut paragraphs =
        vec![format!("Claim {claim_id} for {provider} was {action} at {stage}."), format!("It is now {status}.")];
    if let Some(reason) = reason {
        paragraphs.push(format!("The reviewer's reason: {reason}"));
    }
    for (line, note) in line_notes {
        paragraphs.push(format!("On {line}: {note}"));
    }
    if status == "Returned for amendment" {
        paragraphs.push("Make the changes asked for, then submit the claim again.".to_string());
    }
    let mut message = Letter {
        kind: "claim-decided",
        to: to.email,
        subject: format!("Claim {claim_id}: {status}"),
        greeting: format!("Dear {} {},", to.first_name, to.last_name),
        paragraphs,
        link: Some(("View the claim", link)),
    }
    .render();
    message.id = format!("claim-{claim_id}-decided-{decision_number}-{recipient_id}");
    message
}

pub fn account_enabled(to: &Addressee<'_>) -> MailMessage {
    Letter {
        kind: "account-enabled",
        to: to.email,
        subject: "Your Local Claims account has been enabled".into(),
        greeting: format!("Dear {} {},", to.first_name, to.last_name),
        paragraphs: vec!["Your Local Claims account has been enabled again. You can sign in as before.".to_string()],
        link: None,
    }
    .render()
}

/// A practice has not claimed yet and its window closes soon. The id is fixed
/// per window, provider and person, so a repeated run queues the same email
/// and the mailer sends it once.
pub fn claim_window_closing(
    to: &Addressee<'_>, reminder_id: String, provider: &str, service: &str, period: &str,
    closes_at: impl Into<jiff::Timestamp>,
) -> MailMessage {
    let closes = uk_date_time(closes_at);
    let mut message = Letter {
        kind: "claim-window-closing",
        to: to.email,
        subject: format!("Claim for {service} ({period}) by {closes}"),
        greeting: format!("Dear {} {},", to.first_name, to.last_name),
        paragraphs: vec![
            format!("{provider} has not yet made its claim for {service} for {period}."),
            format!("The claim window closes on {closes}. After that you will need to contact your Primary Care Team."),
            "If you have nothing to claim for this period, you can ignore this email.".to_string(),
        ],
        link: None,
    }
    .render();
    message.id = reminder_id;
    message
}

/// A commissioner has offered a service to the person's practice.
pub fn service_offered(
    to: &Addressee<'_>, provider: &str, commissioner: &str, service: &str, year: &str,
) -> MailMessage {
    Letter {
        kind: "service-offered",
        to: to.email,
        subject: format!("{commissioner} has offered {provider} {service} for {year}"),
        greeting: format!("Dear {} {},", to.first_name, to.last_name),
        paragraphs: vec![
            format!("{commissioner} has offered {provider} the service {service} for the financial year {year}."),
            "Sign in to Local Claims and open Offers to accept or decline it. You can claim for the service once it is accepted.".to_string(),
        ],
        link: None,
    }
    .render()
}

#[cfg(test)]
mod tests {
    use super::*;

    const JANE: Addressee<'static> = Addressee { email: "jane.smith@nhs.net", first_name: "Jane", last_name: "Smith" };

    #[test]
    fn approval_carries_the_link_and_its_expiry() {
        let mail = registration_approved(
            &JANE,
            "Riverside Surgery (A81001)",
            "User",
            "https://x/complete#token=abc",
            "3 December 2026",
        );
        assert_eq!(mail.to, "jane.smith@nhs.net");
        assert!(mail.text.contains("Dear Jane Smith"));
        assert!(mail.text.contains("https://x/complete#token=abc"));
        assert!(mail.html.contains("href=\"https://x/complete#token=abc\""));
        assert!(mail.text.contains("3 December 2026"));
    }

    #[test]
    fn dates_read_in_uk_time_across_the_clock_change() {
        assert_eq!(
            uk_date_time("2026-12-03T19:17:00Z".parse::<jiff::Timestamp>().unwrap()),
            "3 December 2026 at 19:17"
        );
        assert_eq!(uk_date_time("2026-07-03T19:17:00Z".parse::<jiff::Timestamp>().unwrap()), "3 July 2026 at 20:17");
    }

    #[test]
    fn rejection_gives_the_reason_escaped_in_html() {
        let mail = registration_rejected(&JANE, "Riverside Surgery", "Use your own <personal> address");
        assert!(mail.text.contains("The reason given was: Use your own <personal> address"));
        assert!(mail.html.contains("Use your own &lt;personal&gt; address"));
        assert_ne!(mail.id, registration_rejected(&JANE, "x", "y").id);
    }
}
