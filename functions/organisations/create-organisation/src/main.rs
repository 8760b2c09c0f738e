//! POST /organisations: the Service Desk adds a commissioner (ICB or sub-ICB
//! location); a commissioner's administrators add the providers it commissions.
//! ODS codes are unique.
//! The same request sent again with its `Idempotency-Key` is answered with
//! what the first made; the key sent with another request is refused.

use shared::access::caller::SignedIn;
use shared::access::signed_in;
use shared::domain::authority::Refusal;
use shared::domain::ods::OdsCode;
use shared::domain::organisation::OrganisationForm;
use shared::domain::role::{OrganisationKind, Role};
use shared::edge::{json, Answered, IdempotencyKey, Json};
use shared::store::requests::{made_is_gone, Keyed};
use shared::views::accounts::OrganisationView;
use shared::{App, AppError};

shared::serve_http!(POST "/organisations" => create);

async fn create(
    app: &App, who: SignedIn, key: IdempotencyKey, form: Json<OrganisationForm>,
) -> Answered<OrganisationView<'static>, 201> {
    let caller = signed_in(app, &who).await?;
    let keyed = Keyed::new(&caller.user_id, key.key()?, "POST /organisations", &form.fingerprint());
    let new = form.read()?.validate()?;
    match (&new.organisation.kind, &new.organisation.commissioner) {
        (OrganisationKind::Commissioner, _) if !caller.is_service_desk() => {
            return Err(AppError::Forbidden("Only the Service Desk adds commissioners".into()))
        }
        (OrganisationKind::Provider, Some(commissioner)) => {
            let commissioning =
                app.store.organisation(commissioner).await?.filter(|o| o.kind == OrganisationKind::Commissioner);
            if commissioning.is_none() {
                return Err(AppError::invalid_field(
                    "commissioner",
                    format!("There is no commissioner with the ODS code {commissioner}"),
                ));
            }
            if !caller.holds(Role::CommissioningAdministrator, commissioner) {
                return Err(Refusal::NotYourOrganisation.into());
            }
        }
        _ => {}
    }
    let record = app
        .store
        .create_once(
            &keyed,
            || app.store.create_organisation(&new, &caller.user_id, Some(&keyed), shared::Timestamp::now()),
            |made| async move {
                let code = OdsCode::parse(&made).map_err(|_| made_is_gone("organisation"))?;
                app.store.organisation_record(&code).await?.ok_or_else(|| made_is_gone("organisation"))
            },
        )
        .await?;
    tracing::info!(organisation = %record.code, "organisation created");
    json(&OrganisationView::of(&record))
}
