//! GET /services: a commissioner's services, its own and those shared with it,
//! by financial year then name; `year` (like 2026/27) narrows to one year.
//! Each line says how far the service is set up and how this commissioner's
//! offers of it stand — all in the one read of the list, made beside the
//! caller's own account whenever the commissioner is known before it.

use serde::Deserialize;
use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_about};
use shared::domain::financial_year::FinancialYear;
use shared::domain::role::Role;
use shared::edge::{json, query_value, Answered, Paging, Query};
use shared::views::catalogue::ServiceLine;
use shared::views::listing::{Listed, ServicesOf};
use shared::App;

shared::serve_http!(GET "/services" => list);

/// Whose services (a commissioner's), of which year, a page at a time.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Wanted {
    #[param(value_type = Option<shared::domain::ods::OdsCode>)]
    commissioner: Option<String>,
    #[serde(default, deserialize_with = "query_value")]
    year: Option<FinancialYear>,
}

async fn list(
    app: &App, who: SignedIn, query: Query<Wanted>, paging: Paging,
) -> Answered<Listed<'static, ServicesOf<'static>, ServiceLine<'static>>> {
    let requested = query.read().ok().and_then(|wanted| wanted.commissioner);
    let choose = |caller: &shared::domain::account::Caller| {
        access::catalogue::chosen_organisation(
            caller.commissioners(),
            requested.as_deref(),
            "commissioner",
            "Services are listed for the commissioners you belong to",
        )
    };
    let read = |commissioner| {
        let query = &query;
        let paging = &paging;
        async move {
            let wanted = query.read()?;
            let size = paging.size()?;
            app.store.services_of(&commissioner, wanted.year, size, paging.cursor()).await
        }
    };
    let (account, commissioner, page) = signed_in_about(app, &who, choose, read).await?;
    let administrator = account.caller().holds(Role::CommissioningAdministrator, &commissioner);
    json(&Listed::of(ServicesOf { commissioner: &commissioner, administrator }, &page, ServiceLine::of))
}
