//! POST /access-requests: from My Profile, a signed-in user asks for a role in
//! another organisation. It waits for that organisation's reviewer.
//! The same request sent again with its `Idempotency-Key` is answered with
//! what the first made; the key sent with another request is refused.

use shared::access::caller::SignedIn;
use shared::access::signed_in_account;
use shared::domain::access_request::AccessRequestForm;
use shared::edge::{json, Answered, IdempotencyKey, Json};
use shared::store::requests::{made_is_gone, Keyed};
use shared::views::enrolment::RequestReceived;
use shared::{App, AppError, Timestamp};

shared::serve_http!(POST "/access-requests" => request_access);

async fn request_access(
    app: &App, who: SignedIn, key: IdempotencyKey, form: Json<AccessRequestForm>,
) -> Answered<RequestReceived<'static>, 201> {
    let view = signed_in_account(app, &who).await?;
    let keyed = Keyed::new(&view.account.user_id, key.key()?, "POST /access-requests", &form.fingerprint());
    let (code, role) = form.read()?.validate()?;
    let organisation = app.store.organisation(&code).await?.ok_or_else(|| {
        AppError::invalid_field("organisationCode", format!("We cannot find an organisation with the ODS code {code}"))
    })?;
    let queue = organisation.review_queue_for(role).map_err(|detail| AppError::invalid_field("role", detail))?;
    let created = app
        .store
        .create_once(
            &keyed,
            || {
                app.store.create_access_request(
                    &view.account,
                    &organisation,
                    role,
                    &queue,
                    Some(&keyed),
                    Timestamp::now(),
                )
            },
            |made| async move { app.store.access_request(&made).await?.ok_or_else(|| made_is_gone("access request")) },
        )
        .await?;
    tracing::info!(access_request_id = %created.id, "access requested");
    json(&RequestReceived {
        id: &created.id,
        status: "pending",
        organisation_code: &organisation.code,
        organisation_name: &organisation.name,
        role: Some(role),
        message: None,
    })
}
