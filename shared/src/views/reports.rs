//! A claims report as its JSON answer and as a spreadsheet: each row's
//! claims and value by status, and by service, spend against plan.

use crate::domain::report::{pounds, Row, Spend, Totals};
use crate::domain::spreadsheet::{Sheet, SheetError};
use serde_json::{json, Value};

/// One row of a report, or its total, as the JSON answer says it.
pub fn totals_json(key: &str, label: &str, totals: &Totals, spend: Option<Spend>) -> Value {
    let sum = totals.sum(|_| true);
    let by_status: Vec<Value> = totals
        .by_status
        .iter()
        .filter(|(_, tally)| tally.count != 0 || tally.pence != 0)
        .map(|(status, tally)| {
            json!({ "status": { "code": status, "label": status.label() }, "claims": tally.claims,
                    "value": pounds(tally.pence) })
        })
        .collect();
    let mut view =
        json!({ "key": key, "label": label, "claims": sum.claims, "value": pounds(sum.pence), "byStatus": by_status });
    if let Some(spend) = spend {
        view["spend"] = json!({
            "budget": spend.budget.map(pounds),
            "approved": pounds(spend.approved),
            "paid": pounds(spend.paid),
            "committed": pounds(spend.committed),
            "left": spend.left.map(pounds),
        });
    }
    view
}

/// The report as a file to save: a line a row, then the total.
pub fn report_sheet(
    rows: &[Row],
    (total, total_spend): (&Totals, Option<Spend>),
    label: &dyn Fn(&Row) -> String,
    spend_of: &dyn Fn(&Row) -> Option<Spend>,
) -> Result<Sheet, SheetError> {
    let mut heading = vec!["Group", "Key", "Claims", "Value"];
    if total_spend.is_some() {
        heading.extend(["Budget", "Approved", "Paid", "Committed", "Left"]);
    }
    let mut sheet = Sheet::with_heading(heading)?;
    let record = |group: String, key: String, totals: &Totals, spend: Option<Spend>| {
        let sum = totals.sum(|_| true);
        let mut record = vec![group, key, sum.claims.to_string(), pounds(sum.pence)];
        if let Some(spend) = spend {
            record.extend([
                spend.budget.map(pounds).unwrap_or_default(),
                pounds(spend.approved),
                pounds(spend.paid),
                pounds(spend.committed),
                spend.left.map(pounds).unwrap_or_default(),
            ]);
        }
        record
    };
    for row in rows {
        sheet.row(record(label(row), row.key.clone(), &row.totals, spend_of(row)))?;
    }
    sheet.row(record("Total".into(), String::new(), total, total_spend))?;
    Ok(sheet)
}
