//! A reviewer's decision on a claim (groundwork for the review issue): which
//! stage it is made at, what it does to the claim, the reason a practice is
//! owed, and the separation of duties — nobody decides a claim they
//! submitted, and whoever approved it at Tier 1 does not approve it at Tier 2.

use super::claim::{ClaimStatus, HistoryEntry, LineNote, Refused};
use super::money::Money;
use super::nhs_number::refuse_pid;
use super::role::Role;
use super::validation::FieldErrors;
use serde::{Deserialize, Serialize};

/// The most a reason may say; it is emailed to the practice.
pub const REASON_MAX: usize = 500;

/// At or above this total a Tier 2 approval needs Finance too, unless the
/// commissioner sets its own threshold.
pub const DEFAULT_FINANCE_THRESHOLD: Money = Money::from_pence(1_500_000);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Provider,
    Tier1,
    Tier2,
    Finance,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Approve,
    Reject,
    Return,
}

impl Verdict {
    /// As the claim's history and the audit trail say it.
    pub fn action(self) -> &'static str {
        match self {
            Verdict::Approve => "approved",
            Verdict::Reject => "rejected",
            Verdict::Return => "returned",
        }
    }
}

impl Stage {
    pub const ALL: [Stage; 4] = [Stage::Provider, Stage::Tier1, Stage::Tier2, Stage::Finance];

    /// As addresses and bodies write it (`tier1`).
    pub fn code(self) -> &'static str {
        match self {
            Stage::Provider => "provider",
            Stage::Tier1 => "tier1",
            Stage::Tier2 => "tier2",
            Stage::Finance => "finance",
        }
    }

    pub fn parse(raw: &str) -> Result<Stage, String> {
        Stage::ALL
            .into_iter()
            .find(|stage| stage.code() == raw)
            .ok_or_else(|| "Choose a stage: provider, tier1, tier2 or finance".to_string())
    }

    /// The stage a claim in this status waits for, if it waits for a person.
    pub fn waiting_at(status: ClaimStatus) -> Option<Stage> {
        Stage::ALL.into_iter().find(|stage| stage.waiting_status() == status)
    }

    /// Whose work list a claim waiting at this stage is on: the practice's own
    /// approver's, else its commissioner's.
    pub fn decided_by_provider(self) -> bool {
        self == Stage::Provider
    }

    /// The status a claim waits in at this stage.
    pub fn waiting_status(self) -> ClaimStatus {
        match self {
            Stage::Provider => ClaimStatus::PendingProviderApproval,
            Stage::Tier1 => ClaimStatus::PendingTier1Review,
            Stage::Tier2 => ClaimStatus::PendingTier2Review,
            Stage::Finance => ClaimStatus::PendingFinanceApproval,
        }
    }

    /// The role that decides at this stage.
    pub fn role(self) -> Role {
        match self {
            Stage::Provider => Role::ProviderApprover,
            Stage::Tier1 => Role::ApproverTier1,
            Stage::Tier2 => Role::ApproverTier2,
            Stage::Finance => Role::Finance,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Stage::Provider => "practice approval",
            Stage::Tier1 => "Tier 1",
            Stage::Tier2 => "Tier 2",
            Stage::Finance => "Finance",
        }
    }
}

/// The most lines one return may carry notes on.
pub const LINE_NOTES_MAX: usize = 100;

/// A decision as a reviewer sends it; a return may add notes on particular lines.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[schema(as = DecisionForm)]
pub struct Decision {
    pub stage: Stage,
    pub decision: Verdict,
    #[serde(default)]
    #[schema(value_type = crate::edge::openapi::fields::Reason, required = false)]
    pub reason: Option<String>,
    #[serde(default)]
    #[schema(schema_with = crate::edge::openapi::fields::line_notes)]
    pub lines: Vec<LineNote>,
}

impl Decision {
    /// Field problems: a reason is required to reject or return, is at most
    /// 500 characters and never carries patient data.
    pub fn problems(&self, errors: &mut FieldErrors) {
        let reason = self.reason.as_deref().map(str::trim).unwrap_or_default();
        let needs_reason = matches!(self.decision, Verdict::Reject | Verdict::Return);
        if needs_reason && reason.is_empty() {
            errors.add("reason", "Give the reason the practice will be sent");
        }
        if reason.chars().count() > REASON_MAX {
            errors.add("reason", format!("Keep the reason to {REASON_MAX} characters or fewer"));
        }
        if let Err(message) = refuse_pid(reason) {
            errors.add("reason", message);
        }
        if !self.lines.is_empty() && self.decision != Verdict::Return {
            errors.add("lines", "Notes on lines go with a return for amendment");
        }
        if self.lines.len() > LINE_NOTES_MAX {
            errors.add("lines", format!("Add notes to at most {LINE_NOTES_MAX} lines"));
        }
        for (i, note) in self.lines.iter().enumerate() {
            let text = note.reason.trim();
            if text.is_empty() {
                errors.add(&format!("lines/{i}/reason"), "Write the note for this line, or leave the line out");
            } else if text.chars().count() > REASON_MAX {
                errors.add(&format!("lines/{i}/reason"), format!("Keep the note to {REASON_MAX} characters or fewer"));
            } else if let Err(message) = refuse_pid(text) {
                errors.add(&format!("lines/{i}/reason"), message);
            }
            if self.lines[..i].iter().any(|earlier| earlier.line_id == note.line_id) {
                errors.add(&format!("lines/{i}/lineId"), "This line already has a note");
            }
        }
        if self.stage == Stage::Provider && self.decision == Verdict::Reject {
            errors.add(
                "decision",
                "A practice's approver approves or returns a claim; only the commissioner rejects one",
            );
        }
    }

    /// Where the claim goes, from where it is now. `total` and
    /// `finance_threshold` decide whether Tier 2 approval needs Finance too.
    pub fn next_status(
        &self, now: ClaimStatus, total: Money, finance_threshold: Money, files_scanning: bool,
    ) -> Result<ClaimStatus, Refused> {
        if now != self.stage.waiting_status() {
            return Err(Refused(format!(
                "This claim is {}: it is not waiting for {} any more",
                now.label(),
                self.stage.label()
            )));
        }
        match (self.stage, self.decision) {
            (_, Verdict::Return) => now.return_for_amendment(),
            (_, Verdict::Reject) => now.reject(),
            (Stage::Provider, Verdict::Approve) => now.provider_approve(files_scanning),
            (Stage::Tier1, Verdict::Approve) => now.tier1_approve(),
            (Stage::Tier2, Verdict::Approve) => now.tier2_approve(total, finance_threshold),
            (Stage::Finance, Verdict::Approve) => now.finance_approve(),
        }
    }
}

/// History actions that start a round of review: a practice's submission, and a
/// commissioner's entry of a bulk claim (its enterer counts as its submitter).
pub const ROUND_STARTS: [&str; 3] = ["submitted", "resubmitted", ENTERED];

/// The history action of a claim a commissioner entered from a bulk upload.
pub const ENTERED: &str = "entered";

/// Whether a submission waits for the practice's own approver: when the
/// practice asks for approval and the submitter is not one of its approvers.
pub fn needs_provider_approval(claims_need_approval: bool, submitter_is_approver: bool) -> bool {
    claims_need_approval && !submitter_is_approver
}

/// Separation of duties, from the claim's history: the person who submitted a
/// claim never decides it, and whoever approved it at Tier 1 in this round
/// does not approve it at Tier 2. Said in words for a 403.
pub fn may_decide(actor: &str, decision: &Decision, history: &[HistoryEntry]) -> Result<(), String> {
    // The round starts at the latest submission: a resubmitted claim is decided afresh.
    let round_start = history.iter().rposition(|e| ROUND_STARTS.contains(&e.action.as_str()));
    let round = &history[round_start.unwrap_or(0)..];
    if round.first().is_some_and(|e| e.by == actor) {
        return Err("You submitted this claim, so someone else must decide it".into());
    }
    let approved_tier1 = round.iter().any(|e| {
        e.by == actor && e.from == Some(ClaimStatus::PendingTier1Review) && e.to == ClaimStatus::PendingTier2Review
    });
    if decision.stage == Stage::Tier2 && decision.decision == Verdict::Approve && approved_tier1 {
        return Err("You approved this claim at Tier 1, so someone else must approve it at Tier 2".into());
    }
    Ok(())
}

/// The decisions open to `actor` on a claim waiting at `stage` (given they
/// hold its role): what the claim screen offers them.
pub fn verdicts_open_to(actor: &str, stage: Stage, history: &[HistoryEntry]) -> Vec<Verdict> {
    let verdicts: &[Verdict] = if stage == Stage::Provider {
        &[Verdict::Approve, Verdict::Return]
    } else {
        &[Verdict::Approve, Verdict::Reject, Verdict::Return]
    };
    verdicts
        .iter()
        .copied()
        .filter(|&verdict| {
            may_decide(actor, &Decision { stage, decision: verdict, reason: None, lines: vec![] }, history).is_ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::timestamp::Timestamp;
    use ClaimStatus::*;

    fn decision(stage: Stage, verdict: Verdict, reason: Option<&str>) -> Decision {
        Decision { stage, decision: verdict, reason: reason.map(str::to_string), lines: vec![] }
    }

    fn entry(by: &str, action: &str, from: Option<ClaimStatus>, to: ClaimStatus) -> HistoryEntry {
        HistoryEntry {
            at: Timestamp::now(),
            by: by.into(),
            action: action.into(),
            from,
            to,
            reason: None,
            lines: vec![],
        }
    }

    fn pounds(raw: &str) -> Money {
        Money::parse(raw).unwrap()
    }

    #[test]
    fn each_stage_moves_the_claim_on_from_its_own_status_only() {
        let threshold = pounds("15000.00");
        let approve = |stage| decision(stage, Verdict::Approve, None);
        assert_eq!(
            approve(Stage::Tier1).next_status(PendingTier1Review, pounds("10"), threshold, false),
            Ok(PendingTier2Review)
        );
        assert_eq!(approve(Stage::Tier2).next_status(PendingTier2Review, pounds("10"), threshold, false), Ok(Approved));
        assert_eq!(
            approve(Stage::Tier2).next_status(PendingTier2Review, pounds("15000.00"), threshold, false),
            Ok(PendingFinanceApproval)
        );
        assert_eq!(
            approve(Stage::Finance).next_status(PendingFinanceApproval, pounds("1"), threshold, false),
            Ok(Approved)
        );
        assert_eq!(
            approve(Stage::Provider).next_status(PendingProviderApproval, pounds("1"), threshold, true),
            Ok(PendingSystemReview)
        );
        let back = decision(Stage::Tier2, Verdict::Return, Some("Units do not match the list"));
        assert_eq!(back.next_status(PendingTier2Review, pounds("1"), threshold, false), Ok(Returned));
        let stale = approve(Stage::Tier1).next_status(PendingTier2Review, pounds("1"), threshold, false).unwrap_err();
        assert_eq!(stale.0, "This claim is Pending Tier 2 Review: it is not waiting for Tier 1 any more");
    }

    #[test]
    fn a_reason_is_owed_for_a_reject_or_a_return_and_carries_no_patient_data() {
        let mut errors = FieldErrors::new();
        decision(Stage::Tier1, Verdict::Reject, Some("  ")).problems(&mut errors);
        assert!(!errors.is_empty());
        let mut errors = FieldErrors::new();
        decision(Stage::Tier1, Verdict::Return, Some("Patient 943 476 5919 is not registered")).problems(&mut errors);
        assert!(!errors.is_empty());
        let mut errors = FieldErrors::new();
        decision(Stage::Tier1, Verdict::Return, Some(&"x".repeat(REASON_MAX + 1))).problems(&mut errors);
        assert!(!errors.is_empty());
        let mut errors = FieldErrors::new();
        decision(Stage::Tier1, Verdict::Approve, None).problems(&mut errors);
        assert!(errors.is_empty());
        let mut errors = FieldErrors::new();
        decision(Stage::Provider, Verdict::Reject, Some("No")).problems(&mut errors);
        assert!(!errors.is_empty(), "a practice's approver returns; it does not reject");
    }

    #[test]
    fn a_return_may_carry_notes_on_lines_each_checked() {
        let note = |line: &str, reason: &str| LineNote { line_id: line.into(), reason: reason.into() };
        let mut back = decision(Stage::Tier1, Verdict::Return, Some("See the lines"));
        back.lines = vec![note("care", "11 on the list, not 12"), note("ear", "Attach the clinic list")];
        let mut errors = FieldErrors::new();
        back.problems(&mut errors);
        assert!(errors.is_empty());
        back.lines = vec![note("care", " "), note("care", "943 476 5919 is not registered")];
        let mut errors = FieldErrors::new();
        back.problems(&mut errors);
        assert_eq!(errors.pointers(), ["/lines/0/reason", "/lines/1/reason", "/lines/1/lineId"]);
        let mut approve = decision(Stage::Tier1, Verdict::Approve, None);
        approve.lines = vec![note("care", "fine")];
        let mut errors = FieldErrors::new();
        approve.problems(&mut errors);
        assert_eq!(errors.pointers(), ["/lines"]);
    }

    #[test]
    fn each_waiting_status_names_its_stage() {
        for stage in Stage::ALL {
            assert_eq!(Stage::waiting_at(stage.waiting_status()), Some(stage));
            assert_eq!(Stage::parse(stage.code()), Ok(stage));
        }
        assert_eq!(Stage::waiting_at(PendingSystemReview), None);
        assert_eq!(Stage::waiting_at(Approved), None);
        assert!(Stage::parse("tier3").is_err());
    }

    #[test]
    fn only_a_practice_user_s_submission_waits_for_the_practice_s_approver() {
        assert!(needs_provider_approval(true, false));
        assert!(!needs_provider_approval(true, true), "an approver's own submission goes straight on");
        assert!(!needs_provider_approval(false, false));
    }

    #[test]
    fn whoever_entered_a_bulk_claim_does_not_decide_it() {
        let history = vec![entry("tier1", ENTERED, None, PendingTier2Review)];
        let tier2 = decision(Stage::Tier2, Verdict::Approve, None);
        assert!(may_decide("tier1", &tier2, &history).is_err());
        assert_eq!(may_decide("other", &tier2, &history), Ok(()));
    }

    #[test]
    fn nobody_decides_their_own_claim_and_tier1_is_not_tier2() {
        let history = vec![
            entry("maker", "started", None, Draft),
            entry("maker", "submitted", Some(Draft), PendingTier1Review),
            entry("first", "approved", Some(PendingTier1Review), PendingTier2Review),
        ];
        let tier2 = decision(Stage::Tier2, Verdict::Approve, None);
        assert!(may_decide("maker", &tier2, &history).unwrap_err().contains("You submitted this claim"));
        assert!(may_decide("first", &tier2, &history).unwrap_err().contains("approved this claim at Tier 1"));
        assert_eq!(may_decide("second", &tier2, &history), Ok(()));
        let back = decision(Stage::Tier2, Verdict::Return, Some("Check the units"));
        assert_eq!(may_decide("first", &back, &history), Ok(()), "returning is not approving");
        let mut resubmitted = history.clone();
        resubmitted.push(entry("second", "returned", Some(PendingTier2Review), Returned));
        resubmitted.push(entry("maker", "resubmitted", Some(Returned), PendingTier1Review));
        resubmitted.push(entry("second", "approved", Some(PendingTier1Review), PendingTier2Review));
        assert_eq!(may_decide("first", &tier2, &resubmitted), Ok(()), "a new round: first did not approve this one");
        assert!(may_decide("second", &tier2, &resubmitted).is_err());
        assert_eq!(verdicts_open_to("second", Stage::Tier2, &resubmitted), vec![Verdict::Reject, Verdict::Return]);
        assert!(verdicts_open_to("maker", Stage::Tier2, &resubmitted).is_empty());
        assert_eq!(verdicts_open_to("x", Stage::Provider, &history), vec![Verdict::Approve, Verdict::Return]);
    }
}
