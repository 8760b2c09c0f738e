//! GET /users: the Users section — everyone with a role in one organisation the
//! caller administers, with role, status and last sign-in, including access
//! requests waiting for review; filter by status, by name, one page at a time.

use lambda_http::Request;
use serde_json::json;
use shared::access;
use shared::domain::account::MembershipStatus;
use shared::domain::listing::{ListOptions, Order};
use shared::domain::ods::OdsCode;
use shared::edge::{json, query_param, HttpResult};
use shared::store::users::UserListing;
use shared::views::accounts::UserRowView;
use shared::{App, AppError};

shared::serve_http!(list_users; path: [], query: ["status" => MembershipStatus::parse], body: );

async fn list_users(app: &App, request: Request) -> HttpResult {
    let cursor = query_param(&request, "cursor");
    // The page of members: its query is read once the token is verified.
    let page = |code: OdsCode| {
        let cursor = cursor.as_deref();
        let request = &request;
        async move {
            let wanted = Wanted::of(request)?;
            Ok((wanted, app.store.members(&wanted.listing(&code, cursor)).await?))
        }
    };
    let (_, organisation, (wanted, page)) = access::organisations::administered_list(app, &request, page).await?;
    let user_ids: Vec<String> = page.items.iter().map(|m| m.user_id.clone()).collect();
    let accounts = app.store.accounts(&user_ids).await?;
    let items: Vec<UserRowView> = page.items.iter().map(|m| UserRowView::new(m, accounts.get(&m.user_id))).collect();
    json(
        200,
        &json!({
            "organisation": { "code": organisation.code, "name": organisation.name },
            "order": if wanted.order == Order::Ascending { "asc" } else { "desc" },
            "items": items,
            "nextCursor": page.next_cursor,
        }),
    )
}

/// Which members a page lists, from the query: by status, in order, how many.
#[derive(Clone, Copy)]
struct Wanted {
    status: Option<MembershipStatus>,
    order: Order,
    limit: i32,
}

impl Wanted {
    fn of(request: &Request) -> Result<Self, AppError> {
        let status = query_param(request, "status")
            .map(|raw| MembershipStatus::parse(&raw))
            .transpose()
            .map_err(|detail| AppError::invalid_field("status", detail))?;
        if query_param(request, "sort").is_some_and(|sort| sort != "name") {
            return Err(AppError::invalid_field("sort", "Users are sorted by name"));
        }
        let options = ListOptions::parse(
            None,
            query_param(request, "order").as_deref(),
            query_param(request, "limit").as_deref(),
        )?;
        Ok(Self { status, order: options.order, limit: options.limit })
    }

    fn listing<'a>(&self, organisation: &'a OdsCode, cursor: Option<&'a str>) -> UserListing<'a> {
        UserListing { organisation, status: self.status, order: self.order, limit: self.limit, cursor }
    }
}
