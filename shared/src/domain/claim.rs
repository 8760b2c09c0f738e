//! The claim lifecycle, from draft to paid. Every state a claim can be in, and
//! every move between them as a function that refuses what the guides do not
//! allow, so no step can skip one:
//!
//! ```text
//! draft ──submit──▶ (pending_provider_approval) ──▶ (pending_system_review) ──▶ pending_tier1_review
//!   ▲                         │                            │                        │
//!   │                         ▼                            ▼                        ▼
//! returned ◀──────────── return ◀─────────────────── refused file          pending_tier2_review
//!   │                                                                          │        │
//!   └──resubmit (as submit)                     (pending_finance_approval) ◀──┘        │
//!                                                          │                            ▼
//!                                              rejected ◀──┴── tier 1/2, finance ──▶ approved ──▶ paid
//! ```

use super::money::Money;
use super::timestamp::Timestamp;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    Draft,
    PendingProviderApproval,
    PendingSystemReview,
    PendingTier1Review,
    PendingTier2Review,
    PendingFinanceApproval,
    Approved,
    Paid,
    Returned,
    Rejected,
}

/// Why a move is not allowed now, in words for the person who tried it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

fn refused(status: ClaimStatus, what: &str) -> Refused {
    Refused(format!("This claim is {}: it cannot be {what} now", status.label()))
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 10] = [
        ClaimStatus::Draft,
        ClaimStatus::PendingProviderApproval,
        ClaimStatus::PendingSystemReview,
        ClaimStatus::PendingTier1Review,
        ClaimStatus::PendingTier2Review,
        ClaimStatus::PendingFinanceApproval,
        ClaimStatus::Approved,
        ClaimStatus::Paid,
        ClaimStatus::Returned,
        ClaimStatus::Rejected,
    ];

    /// As the guides write it ("Pending Tier 1 Review").
    pub fn label(self) -> &'static str {
        match self {
            ClaimStatus::Draft => "Draft",
            ClaimStatus::PendingProviderApproval => "Pending Provider Approval",
            ClaimStatus::PendingSystemReview => "Pending System Review",
            ClaimStatus::PendingTier1Review => "Pending Tier 1 Review",
            ClaimStatus::PendingTier2Review => "Pending Tier 2 Review",
            ClaimStatus::PendingFinanceApproval => "Pending Finance Approval",
            ClaimStatus::Approved => "Approved",
            ClaimStatus::Paid => "Paid",
            ClaimStatus::Returned => "Returned for amendment",
            ClaimStatus::Rejected => "Rejected",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ClaimStatus::Draft => "draft",
            ClaimStatus::PendingProviderApproval => "pending_provider_approval",
            ClaimStatus::PendingSystemReview => "pending_system_review",
            ClaimStatus::PendingTier1Review => "pending_tier1_review",
            ClaimStatus::PendingTier2Review => "pending_tier2_review",
            ClaimStatus::PendingFinanceApproval => "pending_finance_approval",
            ClaimStatus::Approved => "approved",
            ClaimStatus::Paid => "paid",
            ClaimStatus::Returned => "returned",
            ClaimStatus::Rejected => "rejected",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, String> {
        Self::ALL.into_iter().find(|s| s.code() == raw).ok_or_else(|| {
            let codes: Vec<&str> = Self::ALL.iter().map(|s| s.code()).collect();
            format!("Choose a status: {}", codes.join(", "))
        })
    }

    /// The practice may change its lines, answers and evidence.
    pub fn is_editable(self) -> bool {
        matches!(self, ClaimStatus::Draft | ClaimStatus::Returned)
    }

    /// Only a draft can be deleted, as if it had never been started.
    pub fn delete(self) -> Result<(), Refused> {
        match self {
            ClaimStatus::Draft => Ok(()),
            other => Err(refused(other, "deleted (only a draft can be)")),
        }
    }

    /// Submit (or resubmit a returned claim): to the provider's approver where the
    /// provider asks for one, else to the anti-malware check while any file is
    /// still being scanned, else to Tier 1.
    pub fn submit(self, needs_provider_approval: bool, files_scanning: bool) -> Result<ClaimStatus, Refused> {
        if !self.is_editable() {
            return Err(refused(self, "submitted"));
        }
        Ok(if needs_provider_approval { ClaimStatus::PendingProviderApproval } else { after_approval(files_scanning) })
    }

    /// The provider's approver agrees it may go to the commissioner.
    pub fn provider_approve(self, files_scanning: bool) -> Result<ClaimStatus, Refused> {
        match self {
            ClaimStatus::PendingProviderApproval => Ok(after_approval(files_scanning)),
            other => Err(refused(other, "approved by the practice")),
        }
    }

    /// Every file of the claim has been scanned and is clean.
    pub fn files_clean(self) -> Result<ClaimStatus, Refused> {
        match self {
            ClaimStatus::PendingSystemReview => Ok(ClaimStatus::PendingTier1Review),
            other => Err(refused(other, "moved on by the anti-malware check")),
        }
    }

    pub fn tier1_approve(self) -> Result<ClaimStatus, Refused> {
        match self {
            ClaimStatus::PendingTier1Review => Ok(ClaimStatus::PendingTier2Review),
            other => Err(refused(other, "approved at Tier 1")),
        }
    }

    /// Financial approval: at or above the commissioner's threshold the claim
    /// needs Finance too.
    pub fn tier2_approve(self, total: Money, finance_threshold: Money) -> Result<ClaimStatus, Refused> {
        match self {
            ClaimStatus::PendingTier2Review if total >= finance_threshold => Ok(ClaimStatus::PendingFinanceApproval),
            ClaimStatus::PendingTier2Review => Ok(ClaimStatus::Approved),
            other => Err(refused(other, "approved at Tier 2")),
        }
    }

    pub fn finance_approve(self) -> Result<ClaimStatus, Refused> {
        match self {
            ClaimStatus::PendingFinanceApproval => Ok(ClaimStatus::Approved),
            other => Err(refused(other, "approved by Finance")),
        }
    }

    /// Back to the practice to amend and resubmit: by a reviewer at any stage
    /// before approval, or by the system when a file is refused.
    pub fn return_for_amendment(self) -> Result<ClaimStatus, Refused> {
        match self {
            ClaimStatus::PendingProviderApproval
            | ClaimStatus::PendingSystemReview
            | ClaimStatus::PendingTier1Review
            | ClaimStatus::PendingTier2Review
            | ClaimStatus::PendingFinanceApproval => Ok(ClaimStatus::Returned),
            other => Err(refused(other, "returned")),
        }
    }

    /// Final: by a commissioner's reviewer.
    pub fn reject(self) -> Result<ClaimStatus, Refused> {
        match self {
            ClaimStatus::PendingTier1Review | ClaimStatus::PendingTier2Review | ClaimStatus::PendingFinanceApproval => {
                Ok(ClaimStatus::Rejected)
            }
            other => Err(refused(other, "rejected")),
        }
    }

    pub fn pay(self) -> Result<ClaimStatus, Refused> {
        match self {
            ClaimStatus::Approved => Ok(ClaimStatus::Paid),
            other => Err(refused(other, "paid")),
        }
    }
}

/// What a claim's evidence, once checked, means for the claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AfterChecks {
    /// Nothing to do: still being checked, or the practice is still editing it.
    Stay,
    /// Every file is clean: on to Tier 1.
    MoveOn(ClaimStatus),
    /// A file was refused after the claim left the practice: back to it, saying why.
    Return { to: ClaimStatus, reason: String },
}

impl ClaimStatus {
    /// A draft or returned claim only shows a refusal on its line (submit
    /// refuses until the file is replaced); a submitted one goes back to the
    /// practice; a claim waiting on the check moves on when all are clean.
    pub fn after_checks(self, files: &[super::claim_line::EvidenceFile]) -> AfterChecks {
        use super::claim_line::AttachmentStatus;
        let refused = files.iter().find(|f| f.status == AttachmentStatus::Refused);
        match refused {
            Some(file) if !self.is_editable() => match self.return_for_amendment() {
                Ok(to) => AfterChecks::Return {
                    to,
                    reason: format!(
                        "The evidence check refused {}: {}. Delete it, attach a replacement and submit the claim again",
                        file.file_name,
                        file.refusal.as_deref().unwrap_or("it did not pass the checks")
                    ),
                },
                Err(_) => AfterChecks::Stay,
            },
            Some(_) => AfterChecks::Stay,
            None if files.iter().all(|f| f.status == AttachmentStatus::Clean) => {
                self.files_clean().map(AfterChecks::MoveOn).unwrap_or(AfterChecks::Stay)
            }
            None => AfterChecks::Stay,
        }
    }
}

fn after_approval(files_scanning: bool) -> ClaimStatus {
    if files_scanning {
        ClaimStatus::PendingSystemReview
    } else {
        ClaimStatus::PendingTier1Review
    }
}

/// Who the history and trail say did what the service itself did (the
/// anti-malware check, schedules).
pub const SYSTEM: &str = "system";

/// One move in a claim's history: who, when, from what to what, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct HistoryEntry {
    pub at: Timestamp,
    /// A user id, or "system" for the anti-malware check and schedules.
    pub by: String,
    pub action: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<ClaimStatus>,
    pub to: ClaimStatus,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// A return's notes on particular lines, beside its reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<LineNote>,
}

/// A reviewer's note on one line of a claim returned for amendment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LineNote {
    pub line_id: String,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use ClaimStatus::*;

    fn pounds(raw: &str) -> Money {
        Money::parse(raw).unwrap()
    }

    #[test]
    fn a_draft_goes_to_tier1_or_waits_for_its_files_or_the_practice_approver() {
        assert_eq!(Draft.submit(false, false), Ok(PendingTier1Review));
        assert_eq!(Draft.submit(false, true), Ok(PendingSystemReview));
        assert_eq!(Draft.submit(true, true), Ok(PendingProviderApproval));
        assert_eq!(PendingProviderApproval.provider_approve(true), Ok(PendingSystemReview));
        assert_eq!(PendingProviderApproval.provider_approve(false), Ok(PendingTier1Review));
        assert_eq!(PendingSystemReview.files_clean(), Ok(PendingTier1Review));
    }

    #[test]
    fn only_a_draft_or_a_returned_claim_is_submitted_or_edited() {
        for status in ClaimStatus::ALL {
            let editable = matches!(status, Draft | Returned);
            assert_eq!(status.is_editable(), editable, "{status:?}");
            assert_eq!(status.submit(false, false).is_ok(), editable, "{status:?}");
        }
        assert_eq!(Returned.submit(false, false), Ok(PendingTier1Review));
    }

    #[test]
    fn only_a_draft_is_deleted() {
        for status in ClaimStatus::ALL {
            assert_eq!(status.delete().is_ok(), status == Draft, "{status:?}");
        }
        assert_eq!(
            PendingTier1Review.delete().unwrap_err().0,
            "This claim is Pending Tier 1 Review: it cannot be deleted (only a draft can be) now"
        );
    }

    #[test]
    fn tier2_sends_claims_at_or_above_the_threshold_to_finance() {
        let threshold = pounds("15000.00");
        assert_eq!(PendingTier2Review.tier2_approve(pounds("15000.00"), threshold), Ok(PendingFinanceApproval));
        assert_eq!(PendingTier2Review.tier2_approve(pounds("14999.99"), threshold), Ok(Approved));
        assert_eq!(PendingFinanceApproval.finance_approve(), Ok(Approved));
        assert_eq!(PendingTier1Review.tier1_approve(), Ok(PendingTier2Review));
        assert_eq!(Approved.pay(), Ok(Paid));
    }

    #[test]
    fn every_move_is_refused_from_every_other_state() {
        type Move = fn(ClaimStatus) -> Result<ClaimStatus, Refused>;
        let moves: [(Move, &[ClaimStatus]); 7] = [
            (|s| s.provider_approve(false), &[PendingProviderApproval]),
            (|s| s.files_clean(), &[PendingSystemReview]),
            (|s| s.tier1_approve(), &[PendingTier1Review]),
            (|s| s.tier2_approve(Money::ZERO, Money::ZERO), &[PendingTier2Review]),
            (|s| s.finance_approve(), &[PendingFinanceApproval]),
            (|s| s.reject(), &[PendingTier1Review, PendingTier2Review, PendingFinanceApproval]),
            (|s| s.pay(), &[Approved]),
        ];
        for (step, allowed) in moves {
            for status in ClaimStatus::ALL {
                assert_eq!(step(status).is_ok(), allowed.contains(&status), "{status:?}");
            }
        }
        for status in ClaimStatus::ALL {
            let returnable = matches!(
                status,
                PendingProviderApproval
                    | PendingSystemReview
                    | PendingTier1Review
                    | PendingTier2Review
                    | PendingFinanceApproval
            );
            assert_eq!(status.return_for_amendment().is_ok(), returnable, "{status:?}");
        }
        assert!(Rejected.return_for_amendment().is_err() && Paid.reject().is_err());
    }

    #[test]
    fn checked_evidence_moves_a_waiting_claim_on_or_returns_a_submitted_one() {
        use crate::domain::claim_line::{AttachmentStatus, EvidenceFile};
        let file = |status, refusal: Option<&str>| EvidenceFile {
            file_name: "list.pdf".into(),
            status,
            refusal: refusal.map(str::to_string),
        };
        let clean = file(AttachmentStatus::Clean, None);
        let scanning = file(AttachmentStatus::Scanning, None);
        let refused = file(AttachmentStatus::Refused, Some("it is a program, not a document"));
        assert_eq!(
            PendingSystemReview.after_checks(&[clean.clone(), clean.clone()]),
            AfterChecks::MoveOn(PendingTier1Review)
        );
        assert_eq!(PendingSystemReview.after_checks(&[clean.clone(), scanning.clone()]), AfterChecks::Stay);
        assert_eq!(Draft.after_checks(std::slice::from_ref(&clean)), AfterChecks::Stay, "a draft waits for its submit");
        assert_eq!(Draft.after_checks(std::slice::from_ref(&refused)), AfterChecks::Stay, "the line shows it");
        assert_eq!(
            PendingTier1Review.after_checks(std::slice::from_ref(&clean)),
            AfterChecks::Stay,
            "moved on already"
        );
        match PendingSystemReview.after_checks(&[clean, scanning, refused.clone()]) {
            AfterChecks::Return { to, reason } => {
                assert_eq!(to, Returned);
                assert_eq!(reason, "The evidence check refused list.pdf: it is a program, not a document. Delete it, attach a replacement and submit the claim again");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(Approved.after_checks(&[refused]), AfterChecks::Stay, "decided claims are not reopened");
    }

    #[test]
    fn statuses_read_back_and_say_themselves_as_the_guides_do() {
        for status in ClaimStatus::ALL {
            assert_eq!(ClaimStatus::parse(status.code()), Ok(status));
            let stored = serde_json::to_value(status).unwrap();
            assert_eq!(stored, status.code());
        }
        assert_eq!(PendingSystemReview.label(), "Pending System Review");
        assert!(ClaimStatus::parse("pending").unwrap_err().starts_with("Choose a status: draft, "));
    }
}
