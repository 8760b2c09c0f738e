//! The running totals reports read, kept by the same transaction as every
//! status change (`domain::report`). Three kinds of cell, each with a count
//! of claims of its service, of claims it carries once, and pence per status
//! (`n_<status>`, `c_<status>`, `v_<status>`):
//!
//! - by service and period (`REPORT#<commissioner>#<year>`, `SP#<service>#<period>#<shard>`),
//!   spread over 16 shards by claim id so a bulk upload's claims do not all
//!   queue on one item;
//! - by practice and service (`REPORT#<commissioner>#<year>`, `PS#<practice>#<service>`);
//! - by practice, for one service and period (`REPORT#<commissioner>#<service>#<period>`,
//!   `PSP#<practice>`).

use super::{keys, n, s, Item, Store};
use crate::domain::claim::ClaimStatus;
use crate::domain::ods::OdsCode;
use crate::domain::report::{carrier, changes, split_key, year_of, Cell, Change, Counted, Tally, Totals};
use crate::error::AppError;
use aws_sdk_dynamodb::types::{AttributeValue, TransactWriteItem, Update};
use std::collections::BTreeSet;

const SHARDS: u64 = 16;

/// Whose totals a move changes: the claim, its practice and its commissioner.
pub struct Counting<'a> {
    pub id: u64,
    pub provider: &'a OdsCode,
    pub provider_name: &'a str,
    pub commissioner: &'a OdsCode,
}

impl Store {
    /// The total updates for `claim` moving from `from` (counted as `before`)
    /// to `to` (counted as `after`): three cells per service and period touched.
    pub(crate) fn total_steps(
        &self, claim: &Counting<'_>, from: Option<ClaimStatus>, before: &Counted, to: ClaimStatus, after: &Counted,
    ) -> Result<Vec<TransactWriteItem>, AppError> {
        let touched: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
        let carriers = (carrier(before), carrier(after));
        let mut items = Vec::new();
        for key in touched {
            let carried = (carriers.0 == Some(key.as_str()), carriers.1 == Some(key.as_str()));
            let moves = changes(from, before.get(key).copied(), to, after.get(key).copied(), carried);
            if moves.is_empty() {
                continue;
            }
            let (service, period) =
                split_key(key).ok_or_else(|| AppError::Internal(format!("a claim total keyed {key}")))?;
            let year = year_of(period);
            let cells = [
                (keys::report(claim.commissioner, year), keys::report_by_service(service, period, claim.id % SHARDS)),
                (keys::report(claim.commissioner, year), keys::report_by_provider(claim.provider, service)),
                (keys::report_of_period(claim.commissioner, service, period), keys::report_provider(claim.provider)),
            ];
            for (pk, sk) in cells {
                items.push(self.total_update(pk, sk, claim, service, period, &moves)?);
            }
        }
        Ok(items)
    }

    fn total_update(
        &self, pk: String, sk: String, claim: &Counting<'_>, service: &str, period: &str, moves: &[Change],
    ) -> Result<TransactWriteItem, AppError> {
        let mut adds = Vec::new();
        let mut update = Update::builder()
            .table_name(self.table())
            .set_key(Some(Self::key(pk, sk)))
            .expression_attribute_values(":service", s(service))
            .expression_attribute_values(":period", s(period))
            .expression_attribute_values(":provider", s(claim.provider.as_str()))
            .expression_attribute_values(":providerName", s(claim.provider_name));
        for (i, change) in moves.iter().enumerate() {
            adds.push(format!("#n{i} :n{i}, #c{i} :c{i}, #v{i} :v{i}"));
            update = update
                .expression_attribute_names(format!("#n{i}"), format!("n_{}", change.status.code()))
                .expression_attribute_names(format!("#c{i}"), format!("c_{}", change.status.code()))
                .expression_attribute_names(format!("#v{i}"), format!("v_{}", change.status.code()))
                .expression_attribute_values(format!(":n{i}"), n(change.tally.count))
                .expression_attribute_values(format!(":c{i}"), n(change.tally.claims))
                .expression_attribute_values(format!(":v{i}"), n(change.tally.pence));
        }
        let expression = format!(
            "SET serviceId = :service, period = :period, provider = :provider, providerName = :providerName ADD {}",
            adds.join(", ")
        );
        Ok(TransactWriteItem::builder()
            .update(update.update_expression(expression).build().map_err(|e| AppError::Internal(e.to_string()))?)
            .build())
    }

    /// Every cell of one report partition whose sort key starts with `prefix`.
    pub async fn report_cells(&self, pk: &str, prefix: &str) -> Result<Vec<Cell>, AppError> {
        let query = self
            .client()
            .query()
            .table_name(self.table())
            .key_condition_expression("PK = :pk AND begins_with(SK, :prefix)")
            .expression_attribute_values(":pk", s(pk))
            .expression_attribute_values(":prefix", s(prefix));
        let items = self.query_items(query, "reading report totals").await?;
        Ok(items.iter().map(cell_of).collect())
    }

    /// The cells by service and period of a commissioner's year (all shards).
    pub async fn totals_by_service(&self, commissioner: &OdsCode, year: &str) -> Result<Vec<Cell>, AppError> {
        self.report_cells(&keys::report(commissioner, year), keys::REPORT_BY_SERVICE).await
    }

    /// The cells by practice and service of a commissioner's year.
    pub async fn totals_by_provider(&self, commissioner: &OdsCode, year: &str) -> Result<Vec<Cell>, AppError> {
        self.report_cells(&keys::report(commissioner, year), keys::REPORT_BY_PROVIDER).await
    }

    /// The cells by practice for one service and period.
    pub async fn totals_of_period(
        &self, commissioner: &OdsCode, service_id: &str, period: &str,
    ) -> Result<Vec<Cell>, AppError> {
        self.report_cells(&keys::report_of_period(commissioner, service_id, period), keys::REPORT_PROVIDER).await
    }
}

fn text(item: &Item, name: &str) -> Option<String> {
    item.get(name).and_then(|v| v.as_s().ok()).cloned()
}

fn cell_of(item: &Item) -> Cell {
    let mut totals = Totals::default();
    for status in ClaimStatus::ALL {
        let number = |prefix: &str| {
            item.get(&format!("{prefix}_{}", status.code()))
                .and_then(|v: &AttributeValue| v.as_n().ok())
                .and_then(|v| v.parse::<i64>().ok())
        };
        if let (Some(count), Some(pence)) = (number("n"), number("v")) {
            totals.add(status, Tally { count, claims: number("c").unwrap_or(0), pence });
        }
    }
    Cell {
        service_id: text(item, "serviceId").unwrap_or_default(),
        period: text(item, "period").unwrap_or_default(),
        provider: text(item, "provider").and_then(|p| OdsCode::parse(&p).ok()),
        provider_name: text(item, "providerName"),
        totals,
    }
}
