//! PATCH /organisations/{code}: its administrators rename an organisation or
//! switch a commissioner between single- and multi-service claims, or mark a
//! provider as claiming any time, without claim windows.

use shared::access::caller::SignedIn;
use shared::access::signed_in;
use shared::domain::ods::OdsCode;
use shared::domain::organisation::OrganisationChangeForm;
use shared::edge::address::OrganisationCode;
use shared::edge::{json, Answered, Json, Path};
use shared::views::accounts::OrganisationView;
use shared::{App, AppError};

shared::serve_http!(PATCH "/organisations/{code}" => update);

async fn update(
    app: &App, who: SignedIn, Path(code): Path<OrganisationCode>, form: Json<OrganisationChangeForm>,
) -> Answered<OrganisationView<'static>> {
    let caller = signed_in(app, &who).await?;
    let not_found = || AppError::NotFound("There is no organisation with this ODS code".into());
    let code = OdsCode::parse(&code).map_err(|_| not_found())?;
    let record = app.store.organisation_record(&code).await?.ok_or_else(not_found)?;
    caller.may_administer(&record.organisation())?;
    let change = form.read()?.validate(record.kind)?;
    let updated = app.store.update_organisation(&record, &change, &caller.user_id, shared::Timestamp::now()).await?;
    json(&OrganisationView::of(&updated))
}
