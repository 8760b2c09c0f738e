//! POST /invitations/accept: the invited person opens the link. A new person
//! chooses a password (their account is created); an existing person must be
//! signed in as the account the invitation was sent to (they get the role).

use serde::Deserialize;
use shared::access::caller::Credentials;
use shared::access::links::LinkWords;
use shared::access::{self, signed_in_account};
use shared::domain::completion_token;
use shared::domain::ods::OdsCode;
use shared::domain::organisation::Organisation;
use shared::domain::password::check_password;
use shared::domain::validation::FieldErrors;
use shared::edge::{json, Answered, Json};
use shared::store::TransactFailure;
use shared::views::enrolment::InvitationAccepted;
use shared::ConflictKind;
use shared::{App, AppError};

#[derive(Deserialize, utoipa::ToSchema)]
#[schema(as = LinkForm)]
struct AcceptForm {
    #[schema(schema_with = shared::edge::openapi::fields::link_token, required = true)]
    token: Option<String>,
    #[schema(schema_with = shared::edge::openapi::fields::new_password)]
    password: Option<String>,
}

const LINK: LinkWords = LinkWords {
    unknown: "This invitation link is not recognised. Check you copied the whole link from the email, or ask for it to be sent again",
    used: "This invitation has already been used. Sign in with your email address and password",
    expired: "This invitation has expired. Ask your administrator to send it again",
};

shared::serve_http!(public POST "/invitations/accept" => accept, refusing 410);

async fn accept(
    app: &App, credentials: Option<Credentials>, form: Json<AcceptForm>,
) -> Answered<InvitationAccepted<'static>> {
    let form = form.read()?;
    let secret = form.token.as_deref().map(str::trim).unwrap_or_default();
    if secret.is_empty() {
        return Err(AppError::invalid_field("token", "The link is incomplete: open the link from your email again"));
    }
    let secret = LINK.well_formed(secret)?;
    let token = app.store.invitation_token(&completion_token::hash(secret)).await?.ok_or_else(|| LINK.not_found())?;
    // The invitation, the organisation, whether the person has an account,
    // and who is signed in (if anyone), read together: the link says whom and
    // where the invitation is for.
    let caller = async {
        match &credentials {
            Some(credentials) => signed_in_account(app, &credentials.verify(app).await?).await.map(Some),
            None => Ok(None),
        }
    };
    let addressed = async {
        match token.addressed_to() {
            Some((email, code)) => Some(addressee(app, email, code).await),
            None => None,
        }
    };
    let (invitation, addressed, caller) = tokio::join!(app.store.invitation(&token.invitation_id), addressed, caller);
    let invitation = invitation?.ok_or_else(|| LINK.not_found())?;
    invitation.status.accept().map_err(|refused| AppError::conflict(ConflictKind::InvitationClosed, refused.0))?;
    let now = shared::Timestamp::now();
    LINK.usable(token.used_at.is_some(), token.expires_at, now)?;
    let (organisation, owner) = match addressed {
        Some(addressed) => addressed,
        None => addressee(app, &invitation.email, &invitation.organisation_code).await,
    };
    let organisation = organisation?;

    let user_id = match owner? {
        Some(owner) => {
            // An existing person proves who they are by signing in.
            let Some(view) = caller? else {
                return Err(AppError::SignInFirst(format!(
                    "{} already has a Local Claims account. Sign in with it, then open the link in the email again \
                     to accept: you do not need to choose a new password",
                    invitation.email
                )));
            };
            if view.account.user_id != owner {
                return Err(AppError::Forbidden(
                    "This invitation was sent to a different person. Sign in with the account it was sent to".into(),
                ));
            }
            app.store
                .accept_invitation_as_member(&invitation, &view.account, &organisation, now)
                .await
                .map_err(refused)?;
            owner
        }
        None => {
            if credentials.is_some() {
                return Err(AppError::Forbidden(format!(
                    "This invitation is for a new account for {}. Sign out, then open the link again",
                    invitation.email
                )));
            }
            let password = form.password.as_deref().unwrap_or_default();
            if password.is_empty() {
                return Err(FieldErrors::single("password", "Choose a password for your new account").into());
            }
            check_password(password).map_err(|detail| AppError::invalid_field("password", detail))?;
            let subject = app.directory().create_sign_in(&invitation.email, password).await?;
            app.store
                .accept_invitation_as_new_person(&invitation, &subject, &organisation, now)
                .await
                .map_err(refused)?
        }
    };
    tracing::info!(invitation_id = %invitation.id, user_id = %user_id, "invitation accepted");
    json(&InvitationAccepted {
        status: "accepted",
        organisation_code: &organisation.code,
        organisation_name: &organisation.name,
        role: invitation.role.into(),
    })
}

/// The organisation an invitation is for, and the account its email already has (if any).
async fn addressee(
    app: &App, email: &str, code: &OdsCode,
) -> (Result<Organisation, AppError>, Result<Option<String>, AppError>) {
    tokio::join!(access::organisations::known_organisation(&app.store, code), app.store.user_id_for_email(email))
}

/// The token, then the invitation, then the person's records: whichever moved on first.
fn refused(failure: TransactFailure) -> AppError {
    match failure {
        TransactFailure::ConditionFailed(failed) if failed.contains(&0) || failed.contains(&1) => LINK.used(),
        other => other.into_conflict(
            ConflictKind::AlreadyAMember,
            "You already have access to this organisation, or an account was created for this email meanwhile",
        ),
    }
}
