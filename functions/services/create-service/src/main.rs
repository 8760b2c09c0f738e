//! POST /services: a commissioner's administrator sets up a service for a
//! financial year, claimed monthly or quarterly, optionally shared with other
//! commissioners.
//! The same request sent again with its `Idempotency-Key` is answered with
//! what the first made; the key sent with another request is refused.

use shared::access::caller::SignedIn;
use shared::access::{self, signed_in};
use shared::domain::role::{OrganisationKind, Role};
use shared::domain::service::ServiceForm;
use shared::edge::{json, Answered, IdempotencyKey, Json};
use shared::store::requests::{made_is_gone, Keyed};
use shared::views::catalogue::ServiceView;
use shared::App;

shared::serve_http!(POST "/services" => create);

async fn create(
    app: &App, who: SignedIn, key: IdempotencyKey, form: Json<ServiceForm>,
) -> Answered<ServiceView<'static>, 201> {
    let caller = signed_in(app, &who).await?;
    let keyed = Keyed::new(&caller.user_id, key.key()?, "POST /services", &form.fingerprint());
    let form = form.read()?;
    let candidates = caller.organisations_with(Role::CommissioningAdministrator).into_iter().cloned().collect();
    let owner = access::catalogue::chosen_organisation(
        candidates,
        form.commissioner.as_deref(),
        "commissioner",
        "Only a commissioner's Commissioning Administrators set up its services",
    )?;
    let new = form.validate(&owner)?;
    access::catalogue::organisations_listed(
        &app.store,
        |i| format!("sharedWith/{i}"),
        &new.shared_with,
        |org| match org.kind {
            OrganisationKind::Commissioner => Ok(()),
            _ => Err(format!("{} ({}) is not a commissioner", org.name, org.code)),
        },
    )
    .await?;
    let service = app
        .store
        .create_once(
            &keyed,
            || app.store.create_service(&owner, &new, &caller.user_id, Some(&keyed), shared::Timestamp::now()),
            |made| async move { app.store.service(&made).await?.ok_or_else(|| made_is_gone("service")) },
        )
        .await?;
    tracing::info!(service = %service.id, commissioner = %owner, "service created");
    json(&ServiceView::of(&service))
}
