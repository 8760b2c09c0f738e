//! Signing in with an authenticator app (TOTP) as well as a password, for the
//! people who move public money or manage accounts: Finance, Tier 1 and Tier 2
//! reviewers, Commissioning Administrators and the Service Desk. The user pool
//! asks for the code at every sign-in once the app is set up, so a session
//! that began after the set-up is one that gave a code; the API refuses those
//! people's requests from any other session.

use super::account::{Caller, MembershipStatus};
use super::role::Role;

/// Whether holding `role` means signing in with an authenticator app.
pub fn needed_for(role: Role) -> bool {
    matches!(
        role,
        Role::Finance
            | Role::ApproverTier1
            | Role::ApproverTier2
            | Role::CommissioningAdministrator
            | Role::ServiceDesk
    )
}

/// Whether the caller holds, anywhere, a role that needs an authenticator app.
pub fn needed_by(caller: &Caller) -> bool {
    caller.memberships.iter().any(|m| m.status == MembershipStatus::Active && needed_for(m.role))
}

/// Where a session stands with the authenticator rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// The caller's roles need no app, or the session began with a code.
    Satisfied,
    /// The roles need an app and none is set up: set one up first.
    NotSetUp,
    /// The app is set up, but this session began before it was: sign in again.
    SignInAgain,
}

/// The session's standing: `set_up_at` is when the caller's app was set up,
/// `signed_in_at` when the session began (both to the second, as tokens say
/// it); `set_up_here`: this is the session the app was set up in, which began
/// without a code even if in the same second.
pub fn standing(
    caller: &Caller, set_up_at: Option<jiff::Timestamp>, signed_in_at: Option<jiff::Timestamp>, set_up_here: bool,
) -> Standing {
    if !needed_by(caller) {
        return Standing::Satisfied;
    }
    match (set_up_at, signed_in_at) {
        (None, _) => Standing::NotSetUp,
        (Some(set_up), Some(signed_in)) if signed_in.as_second() >= set_up.as_second() && !set_up_here => {
            Standing::Satisfied
        }
        (Some(_), _) => Standing::SignInAgain,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::account::{AccountStatus, Membership};
    use crate::domain::ods::OdsCode;

    fn caller(roles: &[(Role, MembershipStatus)]) -> Caller {
        Caller {
            user_id: "u".into(),
            email: "fay.morgan@qhm.example.nhs.uk".into(),
            status: AccountStatus::Active,
            memberships: roles
                .iter()
                .map(|(role, status)| Membership {
                    organisation_code: OdsCode::parse("QHM").unwrap(),
                    organisation_name: "NHS QHM ICB".into(),
                    role: *role,
                    status: *status,
                })
                .collect(),
        }
    }

    fn at(second: i64) -> Option<jiff::Timestamp> {
        jiff::Timestamp::from_second(second).ok()
    }

    #[test]
    fn the_roles_that_move_money_or_manage_accounts_need_an_app() {
        let needing: Vec<Role> = Role::ALL.into_iter().filter(|r| needed_for(*r)).collect();
        assert_eq!(
            needing,
            [
                Role::ServiceDesk,
                Role::CommissioningAdministrator,
                Role::ApproverTier1,
                Role::ApproverTier2,
                Role::Finance
            ]
        );
        assert!(!needed_by(&caller(&[(Role::ProviderUser, MembershipStatus::Active)])));
        assert!(!needed_by(&caller(&[(Role::Finance, MembershipStatus::Revoked)])), "only roles held now");
    }

    #[test]
    fn a_session_satisfies_the_rule_only_if_it_began_after_the_app_was_set_up() {
        let finance =
            caller(&[(Role::ProviderUser, MembershipStatus::Active), (Role::Finance, MembershipStatus::Active)]);
        assert_eq!(standing(&finance, None, at(100), false), Standing::NotSetUp);
        assert_eq!(standing(&finance, at(100), at(99), false), Standing::SignInAgain);
        assert_eq!(standing(&finance, at(100), None, false), Standing::SignInAgain);
        assert_eq!(standing(&finance, at(100), at(100), false), Standing::Satisfied, "tokens say the second");
        assert_eq!(standing(&finance, at(100), at(100), true), Standing::SignInAgain, "the session that set it up");
        assert_eq!(standing(&finance, at(100), at(4000), false), Standing::Satisfied);
        let practice = caller(&[(Role::ProviderUser, MembershipStatus::Active)]);
        assert_eq!(standing(&practice, None, at(1), false), Standing::Satisfied);
    }
}
