//! GET /users/{id}: one person as their administrator sees them (the View
//! button): account status, last sign-in, disable reason, and their roles in the
//! organisations this administrator manages, each with its organisation.

use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_alongside};
use shared::edge::address::UserId;
use shared::edge::{json, Answered, Path};
use shared::views::accounts::ManagedUserView;
use shared::App;

shared::serve_http!(GET "/users/{id}" => get_user);

async fn get_user(app: &App, who: SignedIn, Path(id): Path<UserId>) -> Answered<ManagedUserView<'static>> {
    let (caller, person) = signed_in_alongside(app, &who, access::organisations::person_named(&app.store, &id)).await?;
    let (view, administered) = access::organisations::managed_user(&app.store, &caller, person).await?;
    // Each role says where it is held: revoke and re-enable are per organisation.
    let held: Vec<_> =
        view.memberships.iter().filter(|m| administered.iter().any(|o| o.code == m.organisation_code)).collect();
    json(&ManagedUserView::of(&view.account, &held))
}
