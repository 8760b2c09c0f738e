//! GET /payment-runs/{id}/export: the run for the ledger, as CSV — one row per
//! claim line: practice ODS code and name, claim ID, service, component,
//! period, units, unit price, value, VAT code, cost centre, subjective code
//! and payment date. Values are exact to the penny, so the file adds up to the
//! run's total. Every export is audited.

use shared::access::caller::SignedIn;
use shared::access::payments;
use shared::domain::financial_year::period_label_of;
use shared::domain::payment_run::RunStatus;
use shared::domain::spreadsheet::Sheet;
use shared::edge::address::PaymentRunId;
use shared::edge::Csv;
use shared::edge::{csv_file, Answered, Path};
use shared::store::catalogue::ServiceRecord;
use shared::ConflictKind;
use shared::{App, AppError, Timestamp};
use std::collections::HashMap;

shared::serve_http!(GET "/payment-runs/{id}/export" => export, refusing 409);

const HEADING: [&str; 13] = [
    "Provider ODS code",
    "Provider name",
    "Claim ID",
    "Service",
    "Component",
    "Period",
    "Units",
    "Unit price",
    "Value",
    "VAT code",
    "Cost centre",
    "Subjective code",
    "Payment date",
];

async fn export(app: &App, who: SignedIn, Path(id): Path<PaymentRunId>) -> Answered<Csv> {
    let run_id = id;
    let (account, (run, claims)) = payments::open_with(app, &who, &run_id, app.store.run_claims(run_id.trim())).await?;
    if run.status == RunStatus::Collecting {
        return Err(AppError::conflict(
            ConflictKind::RunCollecting,
            "This run is still collecting claims: export it once it is ready",
        ));
    }
    let mut ids: Vec<String> = claims.iter().flat_map(|c| c.lines.iter().map(|l| l.service_id.clone())).collect();
    ids.sort();
    ids.dedup();
    // The export is recorded as its services are read: the run's claims have
    // been read for this person by now, whether or not the file reaches them.
    let (services, ()) = tokio::try_join!(
        app.store.services(&ids),
        app.store.record_export(&run, &account.account.user_id, Timestamp::now())
    )?;
    let services: HashMap<String, ServiceRecord> = services.into_iter().map(|s| (s.id.clone(), s)).collect();
    let mut sheet = Sheet::with_heading(HEADING)?;
    for claim in &claims {
        for line in &claim.lines {
            let service = services.get(&line.service_id);
            let period = period_label_of(&line.period);
            sheet.row([
                claim.provider.to_string(),
                claim.provider_name.clone(),
                claim.id.to_string(),
                service.map(|s| s.name.clone()).unwrap_or_else(|| line.service_id.clone()),
                line.component.clone(),
                period,
                line.units.map(|u| u.to_string()).unwrap_or_default(),
                line.unit_price.map(String::from).unwrap_or_default(),
                String::from(line.value),
                service.map(|s| s.vat_code.code().to_string()).unwrap_or_default(),
                service.and_then(|s| s.cost_centre.clone()).unwrap_or_default(),
                service.and_then(|s| s.subjective_code.clone()).unwrap_or_default(),
                run.payment_date.to_string(),
            ])?;
        }
    }
    csv_file(&format!("payment-run-{}-{}.csv", run.commissioner, run.payment_date), sheet)
}
