//! What the audit trail records: each action a word of its own, written once.

crate::vocabulary::closed_list! {
    /// An action the audit trail records, as its `action` filter names it.
    pub enum AuditAction {
        AccessApproved = "access.approved",
        AccessRejected = "access.rejected",
        AccessRequested = "access.requested",
        AccountDisabled = "account.disabled",
        AccountEnabled = "account.enabled",
        AccountMfaEnabled = "account.mfa-enabled",
        ClaimApproved = "claim.approved",
        ClaimDeleted = "claim.deleted",
        ClaimEntered = "claim.entered",
        ClaimEvidenceChecked = "claim.evidence-checked",
        ClaimRejected = "claim.rejected",
        ClaimReturned = "claim.returned",
        ClaimStarted = "claim.started",
        ClaimSubmitted = "claim.submitted",
        ComponentAdded = "component.added",
        ComponentChanged = "component.changed",
        EvidenceDownloaded = "evidence.downloaded",
        EvidenceReplacementRemoved = "evidence.replacement-removed",
        InvitationAccepted = "invitation.accepted",
        InvitationCancelled = "invitation.cancelled",
        InvitationResent = "invitation.resent",
        InvitationSent = "invitation.sent",
        MembershipCreated = "membership.created",
        MembershipEnabled = "membership.enabled",
        MembershipRevoked = "membership.revoked",
        OfferAccepted = "offer.accepted",
        OfferDeclined = "offer.declined",
        OrganisationCreated = "organisation.created",
        OrganisationUpdated = "organisation.updated",
        PaymentRunConfirmed = "payment-run.confirmed",
        PaymentRunExported = "payment-run.exported",
        PaymentRunStarted = "payment-run.started",
        ProfileUpdated = "profile.updated",
        RegistrationApproved = "registration.approved",
        RegistrationCompleted = "registration.completed",
        RegistrationRejected = "registration.rejected",
        RegistrationSubmitted = "registration.submitted",
        ServiceCreated = "service.created",
        ServiceOffered = "service.offered",
        ServiceUpdated = "service.updated",
        WindowsAdded = "windows.added",
        WindowChanged = "window.changed",
    }
}

impl From<crate::domain::review::Verdict> for AuditAction {
    fn from(verdict: crate::domain::review::Verdict) -> Self {
        match verdict {
            crate::domain::review::Verdict::Approve => AuditAction::ClaimApproved,
            crate::domain::review::Verdict::Reject => AuditAction::ClaimRejected,
            crate::domain::review::Verdict::Return => AuditAction::ClaimReturned,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AuditAction;

    /// The API document's `AuditAction` list is this one, in this order.
    #[test]
    fn each_action_is_read_back_as_written() {
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(*action));
        }
        assert_eq!(AuditAction::parse("claim.paid-twice"), None);
    }
}
