//! POST /organisations: the Service Desk adds a commissioner (ICB or sub-ICB
//! location); a commissioner's administrators add the providers it commissions.
//! ODS codes are unique.

use lambda_http::Request;
use shared::access::signed_in;
use shared::domain::authority::Refusal;
use shared::domain::organisation::OrganisationForm;
use shared::domain::role::{OrganisationKind, Role};
use shared::edge::{json, json_body, HttpResult};
use shared::views::accounts::organisation_json;
use shared::{App, AppError};

shared::serve_http!(create; path: [], query: [], body: OrganisationForm);

async fn create(app: &App, request: Request) -> HttpResult {
    let caller = signed_in(app, &request).await?;
    let new = json_body::<OrganisationForm>(&request)?.validate()?;
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
    let record = app.store.create_organisation(&new, &caller.user_id, shared::Timestamp::now()).await?;
    tracing::info!(organisation = %record.code, "organisation created");
    json(201, &organisation_json(&record))
}
