//! A page of any list the API answers with: what the list is of (flattened
//! in: the organisation, the stage, the order), its items, and where the next
//! page starts.

use super::party::Party;
use crate::domain::listing::{ListOptions, Order, PendingSort};
use crate::domain::ods::OdsCode;
use crate::store::Page;
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Listed<'a, S: Serialize, T: Serialize> {
    #[serde(flatten)]
    #[schema(inline)]
    pub of: S,
    #[schema(inline)]
    pub items: Vec<T>,
    /// Where the next page starts (the `cursor` to send); null on the last page.
    pub next_cursor: Option<&'a str>,
}

impl<'a, S: Serialize, T: Serialize> Listed<'a, S, T> {
    /// The page of `R`s, each shown as `view` shows it.
    pub fn of<R>(of: S, page: &'a Page<R>, view: impl FnMut(&'a R) -> T) -> Self {
        Listed { of, items: page.items.iter().map(view).collect(), next_cursor: page.next_cursor.as_deref() }
    }
}

/// A whole list, on one page (a practice's offers, services, windows).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct All<S: Serialize, T: Serialize> {
    #[serde(flatten)]
    #[schema(inline)]
    pub of: S,
    #[schema(inline)]
    pub items: Vec<T>,
}

/// A list of one organisation's, named by its code (a practice's offers).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfCode<'a> {
    pub organisation: &'a OdsCode,
}

/// A practice's list (its services, its claim windows), and whether it claims at any time.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfPractice<'a> {
    pub provider: Party<'a>,
    pub claims_any_time: bool,
}

/// A list of one organisation's (its trail, its people, its invitations).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfOrganisation<'a> {
    pub organisation: Party<'a>,
}

/// One organisation's people, in the order asked for.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct InOrder<'a> {
    pub organisation: Party<'a>,
    pub order: OrderView,
}

/// A list of one commissioner's (its claims, services, payment runs).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfCommissioner<'a> {
    pub commissioner: &'a OdsCode,
}

/// A list of one practice's (its claims).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct OfProvider<'a> {
    pub provider: &'a OdsCode,
}

/// Nothing more than the items (every ICB, every practice of one).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Items {}

/// How a list is ordered, as its query said it.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
pub enum OrderView {
    #[serde(rename = "asc")]
    Ascending,
    #[serde(rename = "desc")]
    Descending,
}

impl From<Order> for OrderView {
    fn from(order: Order) -> Self {
        match order {
            Order::Ascending => OrderView::Ascending,
            Order::Descending => OrderView::Descending,
        }
    }
}

/// What a list of registrations is sorted by, as its query said it.
#[derive(Debug, Clone, Copy, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum SortView {
    SubmittedAt,
    Name,
    Organisation,
}

impl From<PendingSort> for SortView {
    fn from(sort: PendingSort) -> Self {
        match sort {
            PendingSort::SubmittedAt => SortView::SubmittedAt,
            PendingSort::Name => SortView::Name,
            PendingSort::Organisation => SortView::Organisation,
        }
    }
}

/// A review queue (named as Pending Actions names it), sorted as asked.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Sorted<L: Serialize> {
    #[schema(inline)]
    pub organisation: L,
    pub sort: SortView,
    pub order: OrderView,
}

impl<L: Serialize> Sorted<L> {
    pub fn new(organisation: L, options: ListOptions) -> Self {
        Sorted { organisation, sort: options.sort.into(), order: options.order.into() }
    }
}

/// A commissioner's services, and whether the caller administers them (may add and change).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ServicesOf<'a> {
    pub commissioner: &'a OdsCode,
    pub administrator: bool,
}
