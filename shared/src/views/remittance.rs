//! A practice's remittance advice as a printable page: server-rendered, in the
//! NHS.UK style, no scripts — each claim, line, period, units, price and
//! value, and the total that arrives in the bank.

use crate::domain::financial_year::period_label_of;
use crate::store::payments::{RemittanceRecord, RunClaimRecord};
use html_escape::encode_text as text;

const STYLE: &str = "body{font-family:Frutiger W01,Arial,sans-serif;color:#212b32;margin:2rem auto;max-width:60rem;\
padding:0 1rem;line-height:1.5}h1{font-size:2rem;margin:0 0 .5rem}caption{text-align:left;font-weight:600;\
padding:.5rem 0}table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}th,td{border-bottom:1px solid #d8dde0;\
padding:.5rem;text-align:left;vertical-align:top}.num{text-align:right}.total{font-size:1.5rem;font-weight:600}\
.lede{color:#4c6272}@media print{body{margin:0}}";

pub fn remittance_html(remittance: &RemittanceRecord, claims: &[RunClaimRecord]) -> String {
    let date = remittance.payment_date.strftime("%-d %B %Y").to_string();
    let mut rows = String::new();
    for claim in claims {
        for line in &claim.lines {
            rows.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>\
                 <td class=\"num\">{}</td></tr>",
                claim.id,
                text(&line.component),
                text(&period_label_of(&line.period)),
                line.units.map(|u| u.to_string()).unwrap_or_else(|| "–".into()),
                line.unit_price.map(|p| p.to_string()).unwrap_or_else(|| "–".into()),
                line.value,
            ));
        }
    }
    format!(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>Remittance advice – {provider}</title>\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><style>{STYLE}</style></head><body>\
         <main><p class=\"lede\">{commissioner}</p><h1>Remittance advice</h1>\
         <p>{provider} ({code}) is paid <strong>{total}</strong> on <strong>{date}</strong> for {claims}.</p>\
         <table><caption>What the payment is for</caption><thead><tr><th scope=\"col\">Claim ID</th>\
         <th scope=\"col\">Component</th><th scope=\"col\">Period</th><th scope=\"col\" class=\"num\">Units</th>\
         <th scope=\"col\" class=\"num\">Unit price</th><th scope=\"col\" class=\"num\">Value</th></tr></thead>\
         <tbody>{rows}</tbody></table><p class=\"total\">Total paid: {total}</p>\
         <p class=\"lede\">Payment run of {date}, reference {run}</p></main></body></html>",
        provider = text(&remittance.provider_name),
        code = remittance.provider,
        commissioner = text(&remittance.commissioner_name),
        total = remittance.total,
        claims = crate::domain::payment_run::claims_count(remittance.claims),
        run = crate::domain::payment_run::reference(&remittance.run_id),
    )
}
