//! GET /organisations/{code}: an organisation, for its members and administrators.

use shared::access::caller::SignedIn;
use shared::access::signed_in;
use shared::domain::account::MembershipStatus;
use shared::domain::ods::OdsCode;
use shared::edge::address::OrganisationCode;
use shared::edge::{json, Answered, Path};
use shared::views::accounts::OrganisationView;
use shared::{App, AppError};

shared::serve_http!(GET "/organisations/{code}" => get);

async fn get(app: &App, who: SignedIn, Path(code): Path<OrganisationCode>) -> Answered<OrganisationView<'static>> {
    let caller = signed_in(app, &who).await?;
    let not_found = || AppError::NotFound("There is no organisation with this ODS code among yours".into());
    let code = OdsCode::parse(&code).map_err(|_| not_found())?;
    let record = app.store.organisation_record(&code).await?.ok_or_else(not_found)?;
    let member = caller.memberships.iter().any(|m| m.organisation_code == code && m.status == MembershipStatus::Active);
    if !member && !caller.administers(&record.organisation()) {
        return Err(not_found());
    }
    json(&OrganisationView::of(&record))
}
