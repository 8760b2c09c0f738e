//! GET /organisations: the Service Desk's list of commissioners, or a
//! commissioner's providers (`commissioner` = an ODS code you administer), by name.

use shared::access::caller::SignedIn;
use shared::access::signed_in;
use shared::domain::authority::Refusal;
use shared::domain::ods::OdsCode;
use shared::domain::role::Role;
use shared::edge::asked::ForCommissioner;
use shared::edge::{json, Answered, Paging, Query};
use shared::views::accounts::OrganisationView;
use shared::views::listing::{Items, Listed};
use shared::{App, AppError};

shared::serve_http!(GET "/organisations" => list);

async fn list(
    app: &App, who: SignedIn, wanted: Query<ForCommissioner>, paging: Paging,
) -> Answered<Listed<'static, Items, OrganisationView<'static>>> {
    let caller = signed_in(app, &who).await?;
    let wanted = wanted.read()?;
    let administered = caller.organisations_with(Role::CommissioningAdministrator);
    let requested = wanted
        .commissioner
        .map(|raw| OdsCode::parse(&raw).map_err(|detail| AppError::invalid_field("commissioner", detail)))
        .transpose()?;
    let providers_of = match (requested, administered.as_slice()) {
        (Some(code), _) if caller.holds(Role::CommissioningAdministrator, &code) || caller.is_service_desk() => {
            Some(code)
        }
        (Some(_), _) => return Err(Refusal::NotYourOrganisation.into()),
        (None, _) if caller.is_service_desk() => None,
        (None, [only]) => Some((*only).clone()),
        (None, []) => return Err(Refusal::NotYourOrganisation.into()),
        (None, _) => {
            return Err(AppError::invalid_field("commissioner", "You administer several commissioners: choose one"))
        }
    };
    let size = paging.size()?;
    let cursor = paging.cursor().map(str::to_string);
    let page = match &providers_of {
        Some(commissioner) => app.store.providers_of(commissioner, size, cursor.as_deref()).await?,
        None => app.store.commissioners(size, cursor.as_deref()).await?,
    };
    json(&Listed::of(Items {}, &page, OrganisationView::of))
}
