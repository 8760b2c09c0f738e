//! GET /providers/{code}/remittances/{runId}?format=json|csv|html: what one
//! confirmed run pays one practice — each claim and line, period, units,
//! price and value, and the total that arrives in the bank — as JSON, as CSV,
//! or as a printable page. Only that practice's lines, only to its own users
//! and the paying commissioner's Finance and Tier 2.

use lambda_http::{Body, Response};
use serde::Deserialize;
use shared::access::caller::SignedIn;
use shared::access::payments::may_read_remittance;
use shared::access::signed_in_alongside;
use shared::domain::financial_year::period_label_of;
use shared::domain::ods::OdsCode;
use shared::domain::spreadsheet::Sheet;
use shared::edge::address::{OrganisationCode, RemittanceRunId};
use shared::edge::Csv;
use shared::edge::OneOf;
use shared::edge::{csv_file, json, Answered, Path, Query};
use shared::edge::{Answer, Html};
use shared::views::payments::RemittanceView;
use shared::views::remittance::remittance_html;
use shared::{App, AppError};

shared::serve_http!(GET "/providers/{code}/remittances/{runId}" => get);

/// `?format=`: json (the default), csv or html.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct Wanted {
    #[param(schema_with = shared::edge::openapi::query::json_csv_or_html)]
    format: Option<String>,
}

async fn get(
    app: &App, who: SignedIn, Path((code, run_id)): Path<(OrganisationCode, RemittanceRunId)>, wanted: Query<Wanted>,
) -> Answered<OneOf<OneOf<RemittanceView<'static>, Csv>, Html>> {
    let not_found = || AppError::NotFound("There is no remittance with this reference among yours".into());
    let code = OdsCode::parse(&code).map_err(|_| not_found())?;
    let (caller, remittance) = signed_in_alongside(app, &who, app.store.remittance(&code, &run_id)).await?;
    let remittance = remittance.ok_or_else(not_found)?;
    if !may_read_remittance(&caller, &code, &remittance.commissioner) {
        return Err(not_found());
    }
    let mut claims = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let page = app.store.run_claims_page(&run_id, Some(&code), 100, cursor.as_deref()).await?;
        claims.extend(page.items);
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    match wanted.read()?.format.as_deref().unwrap_or("json") {
        "html" => Response::builder()
            .status(200)
            .header("content-type", "text/html; charset=utf-8")
            .header("cache-control", "no-store")
            .header("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'")
            .body(Body::from(remittance_html(&remittance, &claims)))
            .map(Answer::new)
            .map_err(|e| AppError::Internal(format!("building response: {e}"))),
        "csv" => {
            let mut sheet = Sheet::with_heading(["Claim ID", "Component", "Period", "Units", "Unit price", "Value"])?;
            for claim in &claims {
                for line in &claim.lines {
                    sheet.row([
                        claim.id.to_string(),
                        line.component.clone(),
                        period_label_of(&line.period),
                        line.units.map(|u| u.to_string()).unwrap_or_default(),
                        line.unit_price.map(String::from).unwrap_or_default(),
                        String::from(line.value),
                    ])?;
                }
            }
            sheet.row(["Total", "", "", "", "", &String::from(remittance.total)])?;
            csv_file(&format!("remittance-{code}-{}.csv", remittance.payment_date), sheet)
        }
        "json" => json(&RemittanceView::of(&remittance, &claims)),
        _ => Err(AppError::invalid_field("format", "Choose json, csv or html")),
    }
}
