//! GET /pending-actions: the registrations waiting for the caller's review,
//! sortable by submitted date, name or organisation, one page at a time.

use serde::Deserialize;
use shared::access::caller::SignedIn;
use shared::access::signed_in;
use shared::domain::account::QueueChoice;
use shared::domain::listing::ListOptions;
use shared::edge::{json, Answered, Paging, Query};
use shared::views::accounts::PendingRegistrationView;
use shared::views::listing::{Listed, Sorted};
use shared::{App, AppError};

shared::serve_http!(GET "/pending-actions" => pending_actions);

/// Whose registrations (an organisation's review queue), in which order, a page at a time.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Wanted {
    #[param(schema_with = shared::edge::openapi::query::review_queue)]
    organisation: Option<String>,
    #[param(schema_with = shared::edge::openapi::query::pending_sort)]
    sort: Option<String>,
    #[param(schema_with = shared::edge::openapi::query::order)]
    order: Option<String>,
}

async fn pending_actions(
    app: &App, who: SignedIn, wanted: Query<Wanted>, paging: Paging,
) -> Answered<Listed<'static, Sorted<String>, PendingRegistrationView<'static>>> {
    let caller = signed_in(app, &who).await?;
    let wanted = wanted.read()?;
    let queue = caller.choose_review_queue(wanted.organisation.as_deref()).map_err(|choice| match choice {
        QueueChoice::NotAReviewer => {
            AppError::Forbidden("Only Commissioning Administrators and the Service Desk review registrations".into())
        }
        QueueChoice::NotYours => {
            AppError::Forbidden("You can only see pending actions for organisations you administer".into())
        }
        QueueChoice::ChooseOne(queues) => AppError::invalid_field(
            "organisation",
            format!("You administer several organisations: choose one of {}", queues.join(", ")),
        ),
    })?;
    let options = ListOptions::parse(wanted.sort.as_deref(), wanted.order.as_deref(), paging.limit())?;
    let cursor = paging.cursor().map(str::to_string);
    let page = app.store.pending_registrations(&queue.key(), options, cursor.as_deref()).await?;

    let of = Sorted::new(queue.label(), options);
    json(&Listed::of(of, &page, PendingRegistrationView::from))
}
