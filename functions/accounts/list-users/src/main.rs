//! GET /users: the Users section — everyone with a role in one organisation the
//! caller administers, with role, status and last sign-in, including access
//! requests waiting for review; filter by status, by name, one page at a time.

use serde::Deserialize;
use shared::access;
use shared::access::caller::SignedIn;
use shared::domain::account::MembershipStatus;
use shared::domain::listing::{ListOptions, Order};
use shared::domain::ods::OdsCode;
use shared::edge::{json, query_value, Answered, Paging, Query};
use shared::store::users::UserListing;
use shared::views::accounts::UserRowView;
use shared::views::listing::{InOrder, Listed};
use shared::{App, AppError};

shared::serve_http!(GET "/users" => list_users);

/// Of which organisation, of which status, in which order, a page at a time.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Asked {
    #[param(value_type = Option<shared::domain::ods::OdsCode>)]
    organisation: Option<String>,
    #[serde(default, deserialize_with = "query_value")]
    status: Option<MembershipStatus>,
    #[param(schema_with = shared::edge::openapi::query::by_name)]
    sort: Option<String>,
    #[param(schema_with = shared::edge::openapi::query::order)]
    order: Option<String>,
}

async fn list_users(
    app: &App, who: SignedIn, query: Query<Asked>, paging: Paging,
) -> Answered<Listed<'static, InOrder<'static>, UserRowView<'static>>> {
    let requested = query.read().ok().and_then(|asked| asked.organisation);
    // The page of members: its query is read once the token is verified.
    let page = |code: OdsCode| {
        let query = &query;
        let paging = &paging;
        async move {
            let asked = query.read()?;
            let wanted = Wanted::of(&asked, paging)?;
            Ok((wanted, app.store.members(&wanted.listing(&code, paging.cursor())).await?))
        }
    };
    let (_, organisation, (wanted, page)) =
        access::organisations::administered_list(app, &who, requested.as_deref(), page).await?;
    let user_ids: Vec<String> = page.items.iter().map(|m| m.user_id.clone()).collect();
    let accounts = app.store.accounts(&user_ids).await?;
    let of = InOrder { organisation: (&organisation).into(), order: wanted.order.into() };
    json(&Listed::of(of, &page, |member| UserRowView::new(member, accounts.get(&member.user_id))))
}

/// Which members a page lists, from the query: by status, in order, how many.
#[derive(Clone, Copy)]
struct Wanted {
    status: Option<MembershipStatus>,
    order: Order,
    limit: i32,
}

impl Wanted {
    fn of(asked: &Asked, paging: &Paging) -> Result<Self, AppError> {
        if asked.sort.as_deref().is_some_and(|sort| sort != "name") {
            return Err(AppError::invalid_field("sort", "Users are sorted by name"));
        }
        let options = ListOptions::parse(None, asked.order.as_deref(), paging.limit())?;
        Ok(Self { status: asked.status, order: options.order, limit: options.limit })
    }

    fn listing<'a>(&self, organisation: &'a OdsCode, cursor: Option<&'a str>) -> UserListing<'a> {
        UserListing { organisation, status: self.status, order: self.order, limit: self.limit, cursor }
    }
}
