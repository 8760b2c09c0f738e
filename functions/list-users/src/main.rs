//! GET /users: the Users section — everyone with a role in one organisation the
//! caller administers, with role, status and last sign-in, including access
//! requests waiting for review; filter by status, by name, one page at a time.

use lambda_http::Request;
use serde_json::json;
use shared::access::{self, signed_in_alongside};
use shared::domain::account::MembershipStatus;
use shared::domain::listing::{ListOptions, Order};
use shared::edge::{json, query_param, HttpResult};
use shared::store::users::UserListing;
use shared::views::accounts::UserRowView;
use shared::{App, AppError};

shared::serve_http!(list_users; path: [], query: ["status" => MembershipStatus::parse], body: );

async fn list_users(app: &App, request: Request) -> HttpResult {
    let requested = query_param(&request, "organisation");
    let asked = access::organisations::organisation_asked_for(&app.store, requested.as_deref());
    let (caller, asked) = signed_in_alongside(app, &request, asked).await?;
    let organisation = access::organisations::administered_organisation(&app.store, &caller, requested, asked).await?;
    let status = query_param(&request, "status")
        .map(|raw| MembershipStatus::parse(&raw))
        .transpose()
        .map_err(|detail| AppError::invalid_field("status", detail))?;
    if query_param(&request, "sort").is_some_and(|sort| sort != "name") {
        return Err(AppError::invalid_field("sort", "Users are sorted by name"));
    }
    let options =
        ListOptions::parse(None, query_param(&request, "order").as_deref(), query_param(&request, "limit").as_deref())?;
    let cursor = query_param(&request, "cursor");
    let page = app
        .store
        .members(&UserListing {
            organisation: &organisation.code,
            status,
            order: options.order,
            limit: options.limit,
            cursor: cursor.as_deref(),
        })
        .await?;
    let user_ids: Vec<String> = page.items.iter().map(|m| m.user_id.clone()).collect();
    let accounts = app.store.accounts(&user_ids).await?;
    let items: Vec<UserRowView> = page.items.iter().map(|m| UserRowView::new(m, accounts.get(&m.user_id))).collect();
    json(
        200,
        &json!({
            "organisation": { "code": organisation.code, "name": organisation.name },
            "order": if options.order == Order::Ascending { "asc" } else { "desc" },
            "items": items,
            "nextCursor": page.next_cursor,
        }),
    )
}
