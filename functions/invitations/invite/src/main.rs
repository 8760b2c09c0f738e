//! POST /invitations: an administrator invites a person to a role — the seed's
//! steps: email (an existing account is found and reused), name for a new
//! person, organisation, role, a preview of the email (`"preview": true` sends
//! nothing), then send. The link is single-use and expires in 7 days. Sent
//! again with its `Idempotency-Key`, it answers the invitation the first
//! made (and sends no second email: Resend is for that); the key sent with
//! another request is refused.

use shared::access::caller::SignedIn;
use shared::access::signed_in_account_alongside;
use shared::domain::account::{AccountStatus, MembershipStatus};
use shared::domain::authority::Refusal;
use shared::domain::completion_token;
use shared::domain::invitation::InvitationForm;
use shared::edge::OneOf;
use shared::edge::OrDone;
use shared::edge::{json, json_with_status, Answered, IdempotencyKey, Json};
use shared::mail::templates::{self, Addressee};
use shared::store::invitations::NewInvitation;
use shared::store::requests::{made_before, made_is_gone, Keyed};
use shared::views::enrolment::{InvitationChanged, InvitationPreview, MailPreview};
use shared::ConflictKind;
use shared::{App, AppError};

shared::serve_http!(POST "/invitations" => invite);

async fn invite(
    app: &App, who: SignedIn, key: IdempotencyKey, form: Json<InvitationForm>,
) -> Answered<OrDone<OneOf<InvitationPreview<'static>, InvitationChanged<'static>>>, 201> {
    let key = key.key()?;
    let fingerprint = form.fingerprint();
    // The form is read first, so the organisation and the person it names are
    // read beside the inviter's own account; the inviter is judged first all the same.
    let form = form.read().and_then(|form| form.validate().map_err(AppError::from));
    let named = async {
        match &form {
            Ok(form) => {
                let (organisation, owner) = tokio::try_join!(
                    app.store.organisation(&form.organisation_code),
                    app.store.user_id_for_email(form.email.as_str())
                )?;
                Ok(Some((organisation, owner)))
            }
            Err(_) => Ok(None),
        }
    };
    let (inviter, named) = signed_in_account_alongside(app, &who, named).await?;
    let caller = inviter.caller();
    let form = form?;
    let keyed = Keyed::new(&caller.user_id, key, "POST /invitations", &fingerprint);
    let (organisation, owner) = named.unwrap_or_default();
    let organisation = organisation.ok_or_else(|| {
        AppError::invalid_field(
            "organisationCode",
            format!("We cannot find an organisation with the ODS code {}", form.organisation_code),
        )
    })?;
    caller.may_grant(form.role, &organisation).map_err(|refusal| match refusal {
        Refusal::WrongKindOfOrganisation(detail) => AppError::invalid_field("role", detail),
        other => other.into(),
    })?;

    // Step 2: an existing account is reused; a new person needs a name.
    let existing = match owner {
        Some(user_id) => Some(
            app.store
                .account_view(&user_id)
                .await?
                .ok_or_else(|| AppError::Internal("an email marker points at a missing account".into()))?,
        ),
        None => None,
    };
    let (first_name, last_name) = match &existing {
        Some(view) => {
            if view.account.user_id == caller.user_id {
                return Err(Refusal::OwnAccess.into());
            }
            match view.account.status {
                AccountStatus::Active => {}
                AccountStatus::Disabled => {
                    return Err(AppError::conflict(
                        ConflictKind::AccountDisabled,
                        "This person's account is disabled: enable it first",
                    ))
                }
                AccountStatus::Pending | AccountStatus::Rejected => {
                    return Err(AppError::conflict(
                        ConflictKind::RegistrationPending,
                        "This person has a registration waiting for review: review it in Pending Actions",
                    ))
                }
            }
            if let Some(membership) = view.memberships.iter().find(|m| m.organisation_code == organisation.code) {
                let detail = match membership.status {
                    MembershipStatus::Active => "This person already has access to this organisation",
                    MembershipStatus::Pending => {
                        "This person already has a request for this organisation waiting for review"
                    }
                    MembershipStatus::Revoked => {
                        "This person's access to this organisation was revoked: use Enable to give it back"
                    }
                    MembershipStatus::Rejected => "",
                };
                if !detail.is_empty() {
                    return Err(AppError::conflict(ConflictKind::AlreadyAMember, detail));
                }
            }
            (view.account.first_name.clone(), view.account.last_name.clone())
        }
        None => form.name.clone().ok_or_else(|| {
            let mut errors = shared::domain::validation::FieldErrors::new();
            errors.add("firstName", "Enter their first name: there is no account for this email yet");
            errors.add("lastName", "Enter their last name");
            AppError::from(errors)
        })?,
    };

    let now = shared::Timestamp::now();
    let issued = completion_token::issue(now);
    let to = Addressee { email: form.email.as_str(), first_name: &first_name, last_name: &last_name };
    let place = organisation.label();
    let inviter_name = inviter.account.names().full_name();
    let expires = templates::uk_date_time(issued.expires_at);
    let render = |link: &str| {
        templates::invitation(&to, &place, form.role.label(), &inviter_name, link, &expires, existing.is_some())
    };
    if form.preview {
        // Step 6: what would be sent; the real link is made only when sending.
        let mail = render(&format!("{}/accept-invitation#token=…", app.config.app_url));
        return json_with_status(
            200,
            &InvitationPreview {
                preview: true,
                existing_account: existing.is_some(),
                email: MailPreview { to: &mail.to, subject: &mail.subject, text: &mail.text },
            },
        );
    }

    let new = NewInvitation {
        person: to,
        organisation: &organisation,
        role: form.role,
        invited_by: &caller.user_id,
        existing_user_id: existing.as_ref().map(|v| v.account.user_id.as_str()),
    };
    let invitation = match app.store.create_invitation(&new, &issued, Some(&keyed), now).await {
        Ok(invitation) => invitation,
        // Refused for its key's marker (or its pending invitation): this
        // request sent again, or at the same moment.
        Err(refused) if keyed.sender.key.is_some() => {
            match made_before(app.store.key_use(keyed.sender, &keyed.request).await?)? {
                Some(id) => return sent_before(app, &id).await,
                None => return Err(refused),
            }
        }
        Err(refused) => return Err(refused),
    };
    let id = &invitation.id;
    let notification = app.mail().notify(&render(&accept_link(app, &issued.secret))).await;
    tracing::info!(invitation_id = %id, existing_account = existing.is_some(), "invitation sent");
    json(&InvitationChanged {
        id,
        status: "pending",
        existing_account: Some(existing.is_some()),
        expires_at: Some(invitation.expires_at),
        notification: Some(notification),
    })
}

/// The invitation this request's key made, as the first answer told of it.
async fn sent_before(
    app: &App, id: &str,
) -> Answered<OrDone<OneOf<InvitationPreview<'static>, InvitationChanged<'static>>>, 201> {
    let invitation = app.store.invitation(id).await?.ok_or_else(|| made_is_gone("invitation"))?;
    json(&InvitationChanged {
        id: &invitation.id,
        status: "pending",
        existing_account: Some(invitation.existing_user_id.is_some()),
        expires_at: Some(invitation.expires_at),
        notification: None,
    })
}

fn accept_link(app: &App, secret: &str) -> String {
    format!("{}/accept-invitation#token={secret}", app.config.app_url)
}
