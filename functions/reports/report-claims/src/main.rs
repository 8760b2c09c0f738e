//! GET /reports/claims?commissioner=&year=&service=&period=&status=&groupBy=service|period|provider|status:
//! counts and values of a commissioner's claims for a financial year, by
//! service, period, practice or status; by service, spend against plan too
//! (budget, approved, paid, committed, left). `format=csv` answers a file to
//! save. Read from the running totals every status change keeps — a few
//! hundred small items — never from the claims themselves.

use serde::Deserialize;
use shared::access::caller::SignedIn;
use shared::access::{self, signed_in_about};
use shared::domain::account::Caller;
use shared::domain::claim::ClaimStatus;
use shared::domain::financial_year::{period_label_of, FinancialYear, Period};
use shared::domain::ods::OdsCode;
use shared::domain::report::{group, spend, spend_together, Cell, GroupBy, ReportFilter, Row};
use shared::domain::role::Role;
use shared::domain::uk_time::uk_today;
use shared::edge::address::{PeriodKey, ServiceId};
use shared::edge::Csv;
use shared::edge::OneOf;
use shared::edge::{csv_file, json, query_value, Answered, Query};
use shared::store::catalogue::ServiceRecord;
use shared::views::reports::{report_sheet, ClaimsReport, ReportRow};
use shared::{App, AppError};
use std::collections::HashMap;

shared::serve_http!(GET "/reports/claims" => report);

/// Whose report (a commissioner's), of which year, grouped how, filtered by
/// service, period and status, as JSON or CSV.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
struct Wanted {
    #[param(value_type = Option<shared::domain::ods::OdsCode>)]
    commissioner: Option<String>,
    #[serde(default, deserialize_with = "query_value")]
    year: Option<FinancialYear>,
    #[serde(default, deserialize_with = "query_value")]
    group_by: Option<GroupBy>,
    #[serde(default, deserialize_with = "query_value")]
    service: Option<ServiceId>,
    #[serde(default, deserialize_with = "query_value")]
    period: Option<PeriodKey>,
    #[serde(default, deserialize_with = "query_value")]
    status: Option<ClaimStatus>,
    #[param(schema_with = shared::edge::openapi::query::json_or_csv)]
    format: Option<String>,
}

/// Who reads a commissioner's reports.
const READERS: [Role; 4] = [Role::CommissioningAdministrator, Role::ApproverTier1, Role::ApproverTier2, Role::Finance];

async fn report(app: &App, who: SignedIn, query: Query<Wanted>) -> Answered<OneOf<ClaimsReport<'static>, Csv>> {
    let requested = query.read().ok().and_then(|wanted| wanted.commissioner);
    let choose = |caller: &Caller| {
        let mut readers: Vec<OdsCode> = READERS.iter().flat_map(|r| caller.organisations_with(*r)).cloned().collect();
        readers.sort();
        readers.dedup();
        access::catalogue::chosen_organisation(
            readers,
            requested.as_deref(),
            "commissioner",
            "Reports are for a commissioner's administrators, reviewers and Finance",
        )
    };
    // The report's query is read once the token is verified (a refused request
    // never works out today's financial year, nor loads the time-zone rules for
    // it); its cells beside the caller's own account when the commissioner is
    // known (asked for, or theirs last time), then its services.
    let read = |commissioner: OdsCode| {
        let query = &query;
        async move {
            let asked = Asked::of(query.read()?)?;
            let (cells, services) = read_cells(app, &commissioner, &asked).await?;
            Ok((asked, cells, services))
        }
    };
    let (_, commissioner, (Asked { year, by, filter, as_csv }, cells, services)) =
        signed_in_about(app, &who, choose, read).await?;
    let year_key = year.key();
    let (rows, total) = group(&cells, by, &filter);
    let names: HashMap<String, String> =
        cells.iter().filter_map(|c| Some((c.provider.as_ref()?.to_string(), c.provider_name.clone()?))).collect();
    let label = |row: &Row| match by {
        GroupBy::Service => services.get(&row.key).map(|s| s.name.clone()).unwrap_or_else(|| row.key.clone()),
        GroupBy::Period => period_label_of(&row.key),
        GroupBy::Provider => {
            names.get(&row.key).map(|n| format!("{n} ({})", row.key)).unwrap_or_else(|| row.key.clone())
        }
        GroupBy::Status => {
            ClaimStatus::parse(&row.key).map(|s| s.label().to_string()).unwrap_or_else(|_| row.key.clone())
        }
    };
    // Budgets are for a service's whole year: spend against plan is shown by service, for the year.
    let with_spend = by == GroupBy::Service && filter.period.is_none() && filter.status.is_none();
    let spend_of = |row: &Row| with_spend.then(|| spend(&row.totals, services.get(&row.key).and_then(|s| s.budget)));
    let total_spend = with_spend.then(|| {
        let budgets: Vec<_> = rows.iter().map(|row| services.get(&row.key).and_then(|s| s.budget)).collect();
        spend_together(&total, &budgets)
    });
    if as_csv {
        let sheet = report_sheet(&rows, (&total, total_spend), &label, &spend_of)?;
        return csv_file(&format!("claims-report-{commissioner}-{year_key}.csv"), sheet);
    }
    json(&ClaimsReport {
        commissioner: &commissioner,
        year: year.to_string(),
        group_by: format!("{by:?}").to_lowercase(),
        filter: (&filter).into(),
        rows: rows.iter().map(|row| ReportRow::of(&row.key, label(row), &row.totals, spend_of(row))).collect(),
        total: ReportRow::of("total", "Total".into(), &total, total_spend),
    })
}

/// What a report is asked for: the year, how it is grouped, which claims.
struct Asked {
    year: FinancialYear,
    by: GroupBy,
    filter: ReportFilter,
    /// A file to save (`format=csv`) rather than JSON.
    as_csv: bool,
}

impl Asked {
    fn of(wanted: Wanted) -> Result<Self, AppError> {
        // A period alone names its year; neither, and it is this year.
        let period_year = wanted.period.as_ref().and_then(|p| Period::from_key(&p.0)).map(|p| p.year);
        let year =
            wanted.year.or(period_year).unwrap_or_else(|| FinancialYear::containing(uk_today(jiff::Timestamp::now())));
        let by = wanted.group_by.unwrap_or(GroupBy::Service);
        let filter = ReportFilter {
            service: wanted.service.map(|id| id.0),
            period: wanted.period.map(|p| p.0),
            status: wanted.status,
        };
        if filter.period.as_deref().is_some_and(|p| !p.starts_with(&year.key())) {
            return Err(AppError::invalid_field("period", format!("Choose a period of {year}")));
        }
        let as_csv = match wanted.format.as_deref() {
            None | Some("json") => false,
            Some("csv") => true,
            Some(_) => return Err(AppError::invalid_field("format", "Choose json or csv")),
        };
        Ok(Self { year, by, filter, as_csv })
    }
}

/// The cells a report needs — by service and period for most; by practice
/// (for one period, or for the year) when grouped by practice — and the
/// services they are for, read beside the cells where their ids are known.
async fn read_cells(
    app: &App, commissioner: &OdsCode, asked: &Asked,
) -> Result<(Vec<Cell>, HashMap<String, ServiceRecord>), AppError> {
    let year_key = asked.year.key();
    let (cells, services) = match (asked.by, &asked.filter.period) {
        (GroupBy::Provider, Some(period)) => {
            let mut ids: Vec<String> = match &asked.filter.service {
                Some(service) => vec![service.clone()],
                None => app
                    .store
                    .totals_by_service(commissioner, &year_key)
                    .await?
                    .into_iter()
                    .filter(|c| &c.period == period)
                    .map(|c| c.service_id)
                    .collect(),
            };
            ids.sort();
            ids.dedup();
            let cells = futures::future::try_join_all(
                ids.iter().map(|service| app.store.totals_of_period(commissioner, service, period)),
            );
            let (cells, services) = tokio::try_join!(cells, app.store.services(&ids))?;
            (cells.into_iter().flatten().collect(), services)
        }
        (by, _) => {
            let cells = match by {
                GroupBy::Provider => app.store.totals_by_provider(commissioner, &year_key).await?,
                _ => app.store.totals_by_service(commissioner, &year_key).await?,
            };
            let mut ids: Vec<String> = cells.iter().map(|c| c.service_id.clone()).collect();
            ids.sort();
            ids.dedup();
            let services = app.store.services(&ids).await?;
            (cells, services)
        }
    };
    Ok((cells, services.into_iter().map(|s| (s.id.clone(), s)).collect()))
}
