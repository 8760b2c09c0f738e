//! GET /providers/{code}/remittances: a practice's remittance advices, newest
//! run first — for its own users, and for whoever runs the paying
//! commissioner's payments.

use shared::access::caller::SignedIn;
use shared::access::payments::may_read_remittance;
use shared::access::signed_in_alongside;
use shared::domain::ods::OdsCode;
use shared::edge::address::OrganisationCode;
use shared::edge::{json, Answered, Path};
use shared::views::listing::{All, OfProvider};
use shared::views::payments::RemittanceLine;
use shared::{App, AppError};

shared::serve_http!(GET "/providers/{code}/remittances" => list);

async fn list(
    app: &App, who: SignedIn, Path(code): Path<OrganisationCode>,
) -> Answered<All<OfProvider<'static>, RemittanceLine<'static>>> {
    let not_found = || AppError::NotFound("There is no practice with this ODS code among yours".into());
    let code = OdsCode::parse(&code).map_err(|_| not_found())?;
    let (caller, remittances) = signed_in_alongside(app, &who, app.store.remittances_of(&code)).await?;
    let readable: Vec<_> =
        remittances.iter().filter(|r| may_read_remittance(&caller, &code, &r.commissioner)).collect();
    if readable.is_empty() && !caller.is_provider_member(&code) {
        return Err(not_found());
    }
    let items = readable.into_iter().map(RemittanceLine::of).collect();
    json(&All { of: OfProvider { provider: &code }, items })
}
