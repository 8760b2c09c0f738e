//! GET /users/{id}: one person as their administrator sees them (the View
//! button): account status, last sign-in, disable reason, and their roles in the
//! organisations this administrator manages, each with its organisation.

use serde_json::json;
use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::edge::address::UserId;
use shared::edge::{json, HttpResult, Path};
use shared::views::accounts::UserRowView;
use shared::App;

shared::serve_http!(get_user);

async fn get_user(app: &App, who: SignedIn, Path(id): Path<UserId>) -> HttpResult {
    let (caller, person) = signed_in_alongside(app, &who, access::organisations::person_named(&app.store, &id)).await?;
    let (view, administered) = access::organisations::managed_user(&app.store, &caller, person).await?;
    // Each role says where it is held: revoke and re-enable are per organisation.
    let memberships: Vec<serde_json::Value> = view
        .memberships
        .iter()
        .filter(|m| administered.iter().any(|o| o.code == m.organisation_code))
        .map(|m| {
            let mut row = serde_json::to_value(UserRowView::new(m, Some(&view.account))).unwrap_or_default();
            row["organisation"] = json!({ "code": m.organisation_code, "name": m.organisation_name });
            row
        })
        .collect();
    let organisations: Vec<_> = view
        .memberships
        .iter()
        .filter(|m| administered.iter().any(|o| o.code == m.organisation_code))
        .map(|m| json!({ "code": m.organisation_code, "name": m.organisation_name }))
        .collect();
    json(
        200,
        &json!({
            "id": view.account.user_id,
            "email": view.account.email,
            "firstName": view.account.first_name,
            "lastName": view.account.last_name,
            "status": view.account.status,
            "lastSignInAt": view.account.last_sign_in_at,
            "disabledReason": view.account.disabled_reason,
            "organisations": organisations,
            "memberships": memberships,
        }),
    )
}
