//! Every partition and sort key in the single table, built in one place.
//! docs/ARCHITECTURE.md lists the access pattern each one serves.

use crate::domain::ods::OdsCode;
use crate::domain::timestamp::Timestamp;

pub const PK: &str = "PK";
pub const SK: &str = "SK";
pub const GSI1PK: &str = "GSI1PK";
pub const GSI1SK: &str = "GSI1SK";
pub const GSI2SK: &str = "GSI2SK";
pub const GSI3SK: &str = "GSI3SK";

/// Work lists by date (GSI1), by name (GSI2) and by organisation (GSI3) share GSI1PK.
pub const GSI1: &str = "GSI1";
pub const GSI2: &str = "GSI2";
pub const GSI3: &str = "GSI3";

pub const PROFILE: &str = "PROFILE";

/// Sort keys of the items that are alone in their partition.
pub const ACCESS_REQUEST: &str = "ACCESS_REQUEST";
pub const INVITATION: &str = "INVITATION";
pub const REGISTRATION: &str = "REGISTRATION";
pub const TOKEN: &str = "TOKEN";
pub const EMAIL: &str = "EMAIL";
pub const SUBJECT: &str = "SUBJECT";
pub const MAIL: &str = "MAIL";

pub fn user(user_id: &str) -> String {
    format!("USER#{user_id}")
}

pub fn membership(organisation: &OdsCode) -> String {
    format!("MEMBERSHIP#{organisation}")
}

pub const MEMBERSHIP_PREFIX: &str = "MEMBERSHIP#";
/// A signed-out session, in its person's partition (read with the account).
pub const ENDED_SESSION_PREFIX: &str = "ENDED_SESSION#";

/// An organisation's members, by name (GSI1).
pub fn members(organisation: &OdsCode) -> String {
    format!("MEMBERS#{organisation}")
}

/// Sort key of an organisation's count of active Commissioning Administrators.
pub const ADMINISTRATORS: &str = "ADMINISTRATORS";

pub fn access_request(id: &str) -> String {
    format!("ACCESS_REQUEST#{id}")
}

pub fn invitation(id: &str) -> String {
    format!("INVITATION#{id}")
}

/// The one pending invitation a person may have to an organisation.
pub fn pending_invitation_of(organisation: &OdsCode, email: &str) -> String {
    format!("INVITED#{organisation}#{}", email.to_lowercase())
}

/// An organisation's pending invitations (GSI1).
pub fn pending_invitations(organisation: &OdsCode) -> String {
    format!("INVITES#{organisation}")
}

pub fn organisation(code: &OdsCode) -> String {
    format!("ORG#{code}")
}

/// Uniqueness marker: one pending or active account per email.
pub fn email(address: &str) -> String {
    format!("EMAIL#{address}")
}

pub fn registration(id: &str) -> String {
    format!("REGISTRATION#{id}")
}

pub fn token(hash: &str) -> String {
    format!("TOKEN#{hash}")
}

/// Maps the user pool's `sub` to our user id.
pub fn subject(sub: &str) -> String {
    format!("SUBJECT#{sub}")
}

pub fn pending_registrations(queue_key: &str) -> String {
    format!("PENDING#{queue_key}")
}

pub fn audit(organisation: &OdsCode) -> String {
    format!("AUDIT#{organisation}")
}

/// An organisation's audit entries about one person (GSI1).
pub fn audit_about(organisation: &OdsCode, user_id: &str) -> String {
    format!("AUDIT#{organisation}#ABOUT#{user_id}")
}

/// An organisation's audit entries by one person (GSI4).
pub fn audit_by(organisation: &OdsCode, user_id: &str) -> String {
    format!("AUDIT#{organisation}#BY#{user_id}")
}

/// An organisation's audit entries of one action (GSI6).
pub fn audit_action(organisation: &OdsCode, action: &str) -> String {
    format!("AUDIT#{organisation}#ACTION#{action}")
}

pub fn mail(message_id: &str) -> String {
    format!("MAIL#{message_id}")
}

/// A name as a sort key: lower-cased, its parts joined by a character below
/// every printable one, so "Smith" sorts before "Smith Jones" as people expect.
pub fn name_order(last_name: &str, first_name: &str) -> String {
    format!("{}\u{1}{}", last_name.to_lowercase(), first_name.to_lowercase())
}

/// The list of a commissioner's providers (GSI1).
pub fn providers_of(commissioner: &OdsCode) -> String {
    format!("PROVIDERS#{commissioner}")
}

/// The list of commissioners, for the Service Desk (GSI1).
pub const COMMISSIONERS: &str = "COMMISSIONERS";

/// Organisations sort by name, then code.
pub fn organisation_order(name: &str, code: &OdsCode) -> String {
    format!("{}\u{1}{code}", name.to_lowercase())
}

pub fn service(id: &str) -> String {
    format!("SERVICE#{id}")
}

/// A commissioner's services (its own and those shared with it), by year then name (GSI1).
pub fn services_of(commissioner: &OdsCode) -> String {
    format!("SERVICES#{commissioner}")
}

/// Services sort by financial year, then name, then id; a year's services share a prefix.
pub fn service_order(year_start: i16, name: &str, id: &str) -> String {
    format!("{}{}\u{1}{id}", service_year_prefix(year_start), name.to_lowercase())
}

pub fn service_year_prefix(year_start: i16) -> String {
    format!("{year_start}\u{1}")
}

/// A name as a uniqueness key: case and spacing do not make a new name.
pub fn name_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Uniqueness marker: one service of a name per commissioner and financial year.
pub fn service_name(commissioner: &OdsCode, year_start: i16) -> String {
    format!("SERVICE_NAME#{commissioner}#{year_start}")
}

/// Uniqueness marker under the service: one component of a name per service.
pub fn component_name(name: &str) -> String {
    format!("COMPONENT_NAME#{}", name_key(name))
}

pub const SHARED_PREFIX: &str = "SHARED#";

/// The marker that shares a service with another commissioner.
pub fn shared_with(commissioner: &OdsCode) -> String {
    format!("{SHARED_PREFIX}{commissioner}")
}

pub const COMPONENT_PREFIX: &str = "COMPONENT#";

/// One version of a component; versions of a component sort in order.
pub fn component_version(component_id: &str, version: u32) -> String {
    format!("{COMPONENT_PREFIX}{component_id}#V{version:04}")
}

pub const OFFER_PREFIX: &str = "OFFER#";

pub fn offer(provider: &OdsCode) -> String {
    format!("{OFFER_PREFIX}{provider}")
}

/// A provider's offers (GSI1).
pub fn offers_to(provider: &OdsCode) -> String {
    format!("OFFERS#{provider}")
}

pub const WINDOW_PREFIX: &str = "WINDOW#";

pub fn window(period_key: &str) -> String {
    format!("{WINDOW_PREFIX}{period_key}")
}

/// Windows waiting to open, by opening instant (GSI1); then waiting to close, by closing instant.
pub const WINDOWS_OPENING: &str = "WINDOWS#OPENING";
pub const WINDOWS_CLOSING: &str = "WINDOWS#CLOSING";

pub fn window_due(at: impl Into<Timestamp>, service_id: &str, period_key: &str) -> String {
    format!("{}#{service_id}#{period_key}", instant(at))
}

/// Everything due by `at` sorts at or before this.
pub fn due_by(at: impl Into<Timestamp>) -> String {
    format!("{}~", instant(at))
}

pub const CLAIMED_PREFIX: &str = "CLAIMED#";

/// Written by the claims work when a provider claims a service for a period,
/// under the provider's organisation so one read finds all of its claims.
pub fn claim_marker(service_id: &str, period_key: &str) -> String {
    format!("{CLAIMED_PREFIX}{service_id}#{period_key}")
}

/// The claim id counter: one item, incremented atomically, never reused.
pub const CLAIM_ID_COUNTER: &str = "COUNTER#CLAIM_ID";
pub const COUNTER: &str = "COUNTER";

pub fn claim(id: u64) -> String {
    format!("CLAIM#{id}")
}

/// The claim item itself, first in its partition.
pub const CLAIM: &str = "CLAIM";

pub const LINE_PREFIX: &str = "LINE#";

/// A claim's line: one per component.
pub fn claim_line(component_id: &str) -> String {
    format!("{LINE_PREFIX}{component_id}")
}

/// Evidence files of a claim's lines.
pub const FILE_PREFIX: &str = "FILE#";

pub fn claim_file(line_id: &str, attachment_id: &str) -> String {
    format!("{FILE_PREFIX}{line_id}#{attachment_id}")
}

/// A provider's claims, newest first (GSI1).
pub fn claims_of_provider(provider: &OdsCode) -> String {
    format!("CLAIMS#{provider}")
}

/// A commissioner's submitted claims, newest first (GSI4; drafts are not on it).
pub fn claims_of_commissioner(commissioner: &OdsCode) -> String {
    format!("SUBMITTED_CLAIMS#{commissioner}")
}

/// Claims waiting for a decision at one stage, for one organisation (GSI5, a
/// sparse index: a claim is on it only while it waits there), oldest first.
pub fn review_queue(stage: crate::domain::review::Stage, organisation: &OdsCode) -> String {
    format!("REVIEW#{}#{organisation}", stage.code())
}

/// A commissioner's report totals for one financial year ("2026-27").
pub fn report(commissioner: &OdsCode, year: &str) -> String {
    format!("REPORT#{commissioner}#{year}")
}

pub const REPORT_BY_SERVICE: &str = "SP#";
pub const REPORT_BY_PROVIDER: &str = "PS#";
pub const REPORT_PROVIDER: &str = "PSP#";

/// A shard of the totals of one service and period.
pub fn report_by_service(service_id: &str, period: &str, shard: u64) -> String {
    format!("{REPORT_BY_SERVICE}{service_id}#{period}#{shard:02}")
}

/// The totals of one practice for one service (the whole year).
pub fn report_by_provider(provider: &OdsCode, service_id: &str) -> String {
    format!("{REPORT_BY_PROVIDER}{provider}#{service_id}")
}

/// The totals by practice of one service and period.
pub fn report_of_period(commissioner: &OdsCode, service_id: &str, period: &str) -> String {
    format!("REPORT#{commissioner}#{service_id}#{period}")
}

pub fn report_provider(provider: &OdsCode) -> String {
    format!("{REPORT_PROVIDER}{provider}")
}

/// A payment run, and its claims in the same partition.
pub fn payment_run(id: &str) -> String {
    format!("RUN#{id}")
}

pub const RUN: &str = "RUN";
pub const RUN_CLAIM_PREFIX: &str = "CLAIM#";

/// A claim in a run, by practice then claim id.
pub fn run_claim(provider: &OdsCode, claim_id: u64) -> String {
    format!("{RUN_CLAIM_PREFIX}{provider}#{claim_id:012}")
}

/// A practice's claims in a run.
pub fn run_claims_of(provider: &OdsCode) -> String {
    format!("{RUN_CLAIM_PREFIX}{provider}#")
}

/// A practice's remittance from one run (in the practice's partition).
pub fn remittance(run_id: &str) -> String {
    format!("{REMITTANCE_PREFIX}{run_id}")
}

pub const REMITTANCE_PREFIX: &str = "REMITTANCE#";

/// A commissioner's payment runs, newest first (GSI1).
pub fn payment_runs_of(commissioner: &OdsCode) -> String {
    format!("RUNS#{commissioner}")
}

/// A commissioner's approved claims not yet in a run (GSI5, sparse).
pub fn payable(commissioner: &OdsCode) -> String {
    format!("PAYABLE#{commissioner}")
}

/// A run's claims not yet paid (GSI5, sparse).
pub fn unpaid(run_id: &str) -> String {
    format!("UNPAID#{run_id}")
}

/// A claim's place on a list: by instant, then id.
pub fn claim_order(at: Timestamp, id: u64) -> String {
    format!("{at}#{id:012}")
}

/// A retried +New Claim (same Idempotency-Key, from the same person) finds
/// the claim it made; the key is the person's own, whichever practice it named.
pub fn idempotency(user_id: &str, key: &str) -> String {
    format!("IDEMPOTENCY#{user_id}#{key}")
}

pub const IDEMPOTENCY: &str = "IDEMPOTENCY";

pub const GSI4: &str = "GSI4";
pub const GSI4PK: &str = "GSI4PK";
pub const GSI4SK: &str = "GSI4SK";
/// The review work lists: `review_queue`, ordered by `claim_order` of the wait's start.
pub const GSI5: &str = "GSI5";
pub const GSI5PK: &str = "GSI5PK";
pub const GSI5SK: &str = "GSI5SK";
/// The audit trail by action (`audit_action`).
pub const GSI6: &str = "GSI6";
pub const GSI6PK: &str = "GSI6PK";
pub const GSI6SK: &str = "GSI6SK";

/// Fixed-width UTC instant: sorts as text in time order.
pub fn instant(at: impl Into<Timestamp>) -> String {
    at.into().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorter_surnames_sort_first() {
        assert!(name_order("Smith", "Zoe") < name_order("Smith Jones", "Adam"));
        assert!(name_order("smith", "adam") < name_order("Smith", "Zoe"));
    }

    #[test]
    fn names_are_unique_whatever_their_case_and_spacing() {
        assert_eq!(name_key("  Ear   Irrigation "), name_key("ear irrigation"));
        assert_eq!(component_name("Complex Care Plans"), "COMPONENT_NAME#complex care plans");
        assert!(!component_name("x").starts_with(COMPONENT_PREFIX), "markers stay out of the component query");
    }

    #[test]
    fn instants_have_fixed_width_so_they_sort_as_text() {
        let whole: Timestamp = "2026-11-26T10:00:00Z".parse().unwrap();
        let fraction: Timestamp = "2026-11-26T10:00:00.5Z".parse().unwrap();
        assert_eq!(instant(whole), "2026-11-26T10:00:00.000000Z");
        assert_eq!(instant(fraction), "2026-11-26T10:00:00.500000Z");
        assert!(instant(whole) < instant(fraction));
    }
}
