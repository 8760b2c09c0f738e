//! What the payment run routes answer. Money is text ("2321.04") beside its
//! display form.

use super::claims::money;
use crate::domain::financial_year::period_label_of;
use crate::store::payments::{PaymentRunRecord, RunClaimRecord};
use serde_json::{json, Value};

pub fn payment_run_json(run: &PaymentRunRecord) -> Value {
    json!({
        "id": run.id,
        "commissioner": { "code": run.commissioner, "name": run.commissioner_name },
        "paymentDate": run.payment_date,
        "status": { "code": run.status, "label": run.status.label() },
        "claims": run.claims,
        "lines": run.lines,
        "total": money(run.total),
        "providers": run.providers.iter().map(|p| json!({
            "code": p.provider, "name": p.name, "claims": p.claims, "total": money(p.total),
        })).collect::<Vec<_>>(),
        "createdAt": run.created_at,
        "confirmedAt": run.confirmed_at,
        "version": run.version,
    })
}

pub fn run_claim_json(claim: &RunClaimRecord) -> Value {
    json!({
        "id": claim.id,
        "provider": { "code": claim.provider, "name": claim.provider_name },
        "services": claim.services,
        "total": money(claim.total),
        "paid": claim.paid,
        "lines": claim.lines.iter().map(|l| json!({
            "serviceId": l.service_id,
            "component": l.component,
            "period": l.period,
            "periodLabel": period_label_of(&l.period),
            "units": l.units,
            "unitPrice": l.unit_price.map(money),
            "value": money(l.value),
        })).collect::<Vec<_>>(),
    })
}
