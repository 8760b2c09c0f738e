//! GET /pending-actions: the registrations waiting for the caller's review,
//! sortable by submitted date, name or organisation, one page at a time.

use lambda_http::Request;
use serde_json::json;
use shared::access::signed_in;
use shared::domain::account::QueueChoice;
use shared::domain::listing::{ListOptions, Order, PendingSort};
use shared::edge::{json, query_param, HttpResult};
use shared::views::accounts::PendingRegistrationView;
use shared::{App, AppError};

shared::serve_http!(pending_actions; path: [], query: [], body: );

async fn pending_actions(app: &App, request: Request) -> HttpResult {
    let caller = signed_in(app, &request).await?;
    let queue =
        caller.choose_review_queue(query_param(&request, "organisation").as_deref()).map_err(
            |choice| match choice {
                QueueChoice::NotAReviewer => AppError::Forbidden(
                    "Only Commissioning Administrators and the Service Desk review registrations".into(),
                ),
                QueueChoice::NotYours => {
                    AppError::Forbidden("You can only see pending actions for organisations you administer".into())
                }
                QueueChoice::ChooseOne(queues) => AppError::invalid_field(
                    "organisation",
                    format!("You administer several organisations: choose one of {}", queues.join(", ")),
                ),
            },
        )?;
    let options = ListOptions::parse(
        query_param(&request, "sort").as_deref(),
        query_param(&request, "order").as_deref(),
        query_param(&request, "limit").as_deref(),
    )?;
    let cursor = query_param(&request, "cursor");
    let page = app.store.pending_registrations(&queue.key(), options, cursor.as_deref()).await?;

    let items: Vec<PendingRegistrationView> = page.items.iter().map(Into::into).collect();
    json(
        200,
        &json!({
            "organisation": queue.label(),
            "sort": match options.sort {
                PendingSort::SubmittedAt => "submittedAt",
                PendingSort::Name => "name",
                PendingSort::Organisation => "organisation",
            },
            "order": if options.order == Order::Ascending { "asc" } else { "desc" },
            "items": items,
            "nextCursor": page.next_cursor,
        }),
    )
}
