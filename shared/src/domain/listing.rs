//! Sorting and page-size options for work lists.

use super::validation::FieldErrors;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PendingSort {
    SubmittedAt,
    Name,
    Organisation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    Ascending,
    Descending,
}

pub const DEFAULT_PAGE_SIZE: i32 = 25;
pub const MAX_PAGE_SIZE: i32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListOptions {
    pub sort: PendingSort,
    pub order: Order,
    pub limit: i32,
}

impl ListOptions {
    /// Reads `sort`, `order` and `limit`; absent ones take defaults (oldest first, 25 a page).
    pub fn parse(sort: Option<&str>, order: Option<&str>, limit: Option<&str>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let sort = match sort {
            None | Some("submittedAt") => PendingSort::SubmittedAt,
            Some("name") => PendingSort::Name,
            Some("organisation") => PendingSort::Organisation,
            Some(_) => {
                errors.add("sort", "Sort by submittedAt, name or organisation");
                PendingSort::SubmittedAt
            }
        };
        let order = match order {
            None | Some("asc") => Order::Ascending,
            Some("desc") => Order::Descending,
            Some(_) => {
                errors.add("order", "Order must be asc or desc");
                Order::Ascending
            }
        };
        let limit = match limit.map(str::parse::<i32>) {
            None => DEFAULT_PAGE_SIZE,
            Some(Ok(n)) if (1..=MAX_PAGE_SIZE).contains(&n) => n,
            Some(_) => {
                errors.add("limit", format!("Limit must be a whole number from 1 to {MAX_PAGE_SIZE}"));
                DEFAULT_PAGE_SIZE
            }
        };
        errors.into_result().map(|_| ListOptions { sort, order, limit })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_oldest_first() {
        let options = ListOptions::parse(None, None, None).unwrap();
        assert_eq!(options, ListOptions { sort: PendingSort::SubmittedAt, order: Order::Ascending, limit: 25 });
    }

    #[test]
    fn reads_every_option_and_reports_bad_ones() {
        let options = ListOptions::parse(Some("name"), Some("desc"), Some("5")).unwrap();
        assert_eq!(options, ListOptions { sort: PendingSort::Name, order: Order::Descending, limit: 5 });
        let errors = ListOptions::parse(Some("email"), Some("up"), Some("0")).unwrap_err();
        let pointers: Vec<_> = errors.iter().map(|e| e.pointer.as_str()).collect();
        assert_eq!(pointers, ["/sort", "/order", "/limit"]);
        assert!(ListOptions::parse(None, None, Some("101")).is_err());
    }
}
