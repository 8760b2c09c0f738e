//! Cognito post-authentication trigger: records the moment a person signs in
//! as their last sign-in, which administrators see in the Users section.
//! (The local emulator runs no triggers; there `GET /me` records it.)

use shared::{App, AppError, Timestamp};

shared::serve_cognito_trigger!(record_sign_in);

async fn record_sign_in(app: &App, subject: String, now: Timestamp) -> Result<(), AppError> {
    // Someone who has not finished registering has no account to mark yet.
    let Some(user_id) = app.store.user_id_for_subject(&subject).await? else {
        return Ok(());
    };
    app.store.record_sign_in(&user_id, now).await
}
