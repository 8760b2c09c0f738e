//! POST /registrations/{id}/review: an administrator approves (the person is
//! emailed a single-use link to finish) or rejects with a reason (emailed to them).

use shared::access::caller::SignedIn;
use shared::access::signed_in_alongside;
use shared::domain::completion_token;
use shared::domain::organisation::ReviewQueue;
use shared::domain::registration::RegistrationStatus;
use shared::domain::registration::{Decision, ReviewForm};
use shared::edge::address::RegistrationId;
use shared::edge::{json, Answered, Json, Path};
use shared::mail::templates::{self, Addressee};
use shared::mail::MailMessage;
use shared::store::records::RegistrationRecord;
use shared::views::enrolment::Decided;
use shared::ConflictKind;
use shared::{App, AppError};

shared::serve_http!(POST "/registrations/{id}/review" => review);

async fn review(
    app: &App, who: SignedIn, Path(id): Path<RegistrationId>, form: Json<ReviewForm>,
) -> Answered<Decided<'static, RegistrationStatus>> {
    let named = async {
        match uuid::Uuid::parse_str(&id) {
            Ok(_) => app.store.registration(&id).await,
            Err(_) => Ok(None),
        }
    };
    let (caller, found) = signed_in_alongside(app, &who, named).await?;
    let not_found = || AppError::NotFound("There is no registration with this reference".into());
    let registration = found.ok_or_else(not_found)?;
    let queue = ReviewQueue::from_key(&registration.review_queue)
        .ok_or_else(|| AppError::Internal("registration has an unknown review queue".into()))?;
    if !caller.may_review(&queue) {
        return Err(AppError::Forbidden("You can only review registrations for organisations you administer".into()));
    }
    let decision = form.read()?.validate()?;
    let next = registration
        .status
        .decide(&decision)
        .map_err(|refused| AppError::conflict(ConflictKind::AlreadyReviewed, refused.0))?;

    let now = shared::Timestamp::now();
    let mail = match &decision {
        Decision::Approve => {
            let issued = completion_token::issue(now);
            app.store.approve_registration(&registration, &issued, &caller.user_id, now).await?;
            approval_email(app, &registration, &issued)?
        }
        Decision::Reject { reason } => {
            app.store.reject_registration(&registration, reason, &caller.user_id, now).await?;
            templates::registration_rejected(&addressee(&registration), &organisation(&registration), reason)
        }
    };
    tracing::info!(registration_id = %registration.id, decision = ?next, "registration reviewed");

    let notification = app.mail().notify(&mail).await;
    json(&Decided { id: &registration.id, status: next, notification })
}

fn addressee(registration: &RegistrationRecord) -> Addressee<'_> {
    registration.names()
}

fn organisation(registration: &RegistrationRecord) -> String {
    format!("{} ({})", registration.organisation_name, registration.organisation_code)
}

fn approval_email(
    app: &App, registration: &RegistrationRecord, issued: &completion_token::IssuedToken,
) -> Result<MailMessage, AppError> {
    // The secret travels in the fragment, which browsers never send to servers or logs.
    let link = format!("{}/complete-registration#token={}", app.config.app_url, issued.secret);
    let expires = templates::uk_date_time(issued.expires_at);
    Ok(templates::registration_approved(
        &addressee(registration),
        &organisation(registration),
        registration.role.label(),
        &link,
        &expires,
    ))
}
