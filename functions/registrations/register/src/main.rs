//! POST /registrations (public): a person asks for an account in an organisation.
//! The request waits for review by the organisation's commissioner (or, for
//! commissioner roles, the Service Desk); shared mailboxes are flagged for the reviewer.
//! The same form sent again with its `Idempotency-Key` (its answer lost) is
//! answered as the first was, not refused as a second registration; the key
//! sent with another form is refused.

use shared::domain::generic_mailbox::generic_mailbox_reason;
use shared::domain::registration::RegistrationForm;
use shared::edge::{json, Answered, IdempotencyKey, Json};
use shared::store::records::RegistrationRecord;
use shared::store::requests::{made_is_gone, Keyed};
use shared::views::enrolment::RequestReceived;
use shared::{App, AppError};

shared::serve_http!(public POST "/registrations" => register);

/// Whose keys a public form's are: nobody is signed in, and a key is a
/// random value its browser made.
const PUBLIC: &str = "public";

async fn register(
    app: &App, key: IdempotencyKey, form: Json<RegistrationForm>,
) -> Answered<RequestReceived<'static>, 201> {
    let keyed = Keyed::new(PUBLIC, key.key()?, "POST /registrations", &form.fingerprint());
    let form: RegistrationForm = form.read()?;
    let valid = form.validate()?;

    let organisation = app.store.organisation(&valid.organisation_code).await?.ok_or_else(|| {
        AppError::invalid_field(
            "organisationCode",
            format!(
                "We cannot find an organisation with the ODS code {}. Check the code with your practice or Primary Care Team",
                valid.organisation_code
            ),
        )
    })?;
    let queue = organisation.review_queue_for(valid.role).map_err(|detail| AppError::invalid_field("role", detail))?;
    let generic_reason = generic_mailbox_reason(&valid.email, &valid.first_name, &valid.last_name, &organisation.code);

    let now = shared::Timestamp::now();
    let registration = app
        .store
        .create_once(
            &keyed,
            || app.store.create_registration(&valid, &organisation, &queue, generic_reason, Some(&keyed), now),
            |made| async move { app.store.registration(&made).await?.ok_or_else(|| made_is_gone("registration")) },
        )
        .await?;
    tracing::info!(registration_id = %registration.id, generic_email = registration.generic_email, "registration submitted");
    json(&received(&registration))
}

/// The answer to a registration sent (and to the same one sent again).
fn received(registration: &RegistrationRecord) -> RequestReceived<'_> {
    RequestReceived {
        id: &registration.id,
        status: "pending",
        organisation_code: &registration.organisation_code,
        organisation_name: &registration.organisation_name,
        role: None,
        message: Some(
            "Thank you. Your registration will be reviewed and you will get an email when it has been decided.",
        ),
    }
}
