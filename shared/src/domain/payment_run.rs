//! Payment runs: a commissioner's Finance (or Tier 2) collects every approved
//! claim not yet in a run, checks the run, and confirms it, which marks its
//! claims paid with the run and the payment date. A run moves
//! collecting → ready → confirming → confirmed; collecting and confirming go
//! on in steps (a request, then queued continuations) until done, and each
//! step is safe to repeat, so an interrupted run is resumed, never doubled.

use super::claim_line::ClaimLine;
use super::component::Payment;
use super::money::Money;
use super::ods::{required_ods_code, OdsCode};
use super::validation::FieldErrors;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Collecting,
    Ready,
    Confirming,
    Confirmed,
}

impl RunStatus {
    pub fn label(self) -> &'static str {
        match self {
            RunStatus::Collecting => "Collecting claims",
            RunStatus::Ready => "Ready to confirm",
            RunStatus::Confirming => "Being confirmed",
            RunStatus::Confirmed => "Confirmed",
        }
    }

    /// Whether the run still has steps to take on its own.
    pub fn in_progress(self) -> bool {
        matches!(self, RunStatus::Collecting | RunStatus::Confirming)
    }
}

/// A payment run as Finance asks for it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = PaymentRunForm)]
pub struct RunForm {
    #[schema(value_type = crate::domain::ods::OdsCode, required = true)]
    pub commissioner: Option<String>,
    #[schema(schema_with = crate::edge::openapi::fields::payment_date, required = true)]
    pub payment_date: Option<String>,
}

/// A checked request for a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRun {
    pub commissioner: OdsCode,
    pub payment_date: Date,
}

impl RunForm {
    /// The commissioner's code and a payment date no earlier than `today`.
    pub fn validate(&self, today: Date) -> Result<NewRun, FieldErrors> {
        let mut errors = FieldErrors::new();
        let commissioner = errors.check(
            "commissioner",
            required_ods_code(self.commissioner.as_deref(), "Choose the commissioner whose claims are paid"),
        );
        let payment_date = match self.payment_date.as_deref().map(str::trim) {
            None | Some("") => {
                errors.add("paymentDate", "Enter the date the payments will be made");
                None
            }
            Some(raw) => match raw.parse::<Date>() {
                Ok(day) if day < today => {
                    errors.add("paymentDate", "The payment date must be today or later");
                    None
                }
                Ok(day) => Some(day),
                Err(_) => {
                    errors.add("paymentDate", "Enter the payment date as a date, like 2026-12-15");
                    None
                }
            },
        };
        errors.into_result()?;
        match (commissioner, payment_date) {
            (Some(commissioner), Some(payment_date)) => Ok(NewRun { commissioner, payment_date }),
            _ => Err(FieldErrors::single("commissioner", "Choose the commissioner")),
        }
    }
}

/// One line of a claim in a run, as the ledger and the remittance show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RunLine {
    pub service_id: String,
    pub component: String,
    pub period: String,
    /// Units for a per-unit component; none for a retainer or participation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit_price: Option<Money>,
    pub value: Money,
}

impl RunLine {
    pub fn of(line: &ClaimLine) -> RunLine {
        let (units, unit_price) = match &line.payment {
            Payment::PerUnit { unit_price, .. } => (Some(line.units.unwrap_or(0)), Some(*unit_price)),
            _ => (None, None),
        };
        RunLine {
            service_id: line.service_id.clone(),
            component: line.name.clone(),
            period: line.period_key.clone(),
            units,
            unit_price,
            value: line.value(),
        }
    }
}

/// What a run pays one practice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProviderTotal {
    pub provider: OdsCode,
    pub name: String,
    pub claims: u64,
    pub total: Money,
}

/// Adds one claim to the totals by practice (kept in practice-code order).
/// How people name a run: a short reference from its id (the id's last eight
/// characters, its random part), as on the remittance a practice files.
pub fn reference(run_id: &str) -> String {
    let plain: String = run_id.chars().filter(char::is_ascii_alphanumeric).collect();
    plain[plain.len().saturating_sub(8)..].to_ascii_uppercase()
}

/// "1 claim", "3 claims".
pub fn claims_count(count: u64) -> String {
    if count == 1 {
        "1 claim".to_string()
    } else {
        format!("{count} claims")
    }
}

pub fn add_to_totals(totals: &mut Vec<ProviderTotal>, provider: &OdsCode, name: &str, value: Money) {
    match totals.iter_mut().find(|t| &t.provider == provider) {
        Some(found) => {
            found.claims += 1;
            found.total = found.total.plus(value);
        }
        None => {
            totals.push(ProviderTotal { provider: provider.clone(), name: name.to_string(), claims: 1, total: value });
            totals.sort_by(|a, b| a.provider.cmp(&b.provider));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_is_named_by_a_short_reference_and_claims_are_counted_in_words() {
        assert_eq!(reference("01a24a7c-0c61-77b5-9f5a-c0a7a9436001"), "A9436001");
        assert_eq!(reference("ab"), "AB");
        assert_eq!(
            (claims_count(1), claims_count(0), claims_count(3)),
            ("1 claim".into(), "0 claims".into(), "3 claims".into())
        );
    }

    fn day(raw: &str) -> Date {
        raw.parse().unwrap()
    }

    #[test]
    fn a_run_needs_a_commissioner_and_a_payment_date_from_today() {
        let form = RunForm { commissioner: Some("qhm".into()), payment_date: Some("2026-12-15".into()) };
        let run = form.validate(day("2026-11-27")).unwrap();
        assert_eq!(run.commissioner.as_str(), "QHM");
        assert_eq!(run.payment_date, day("2026-12-15"));
        let past = RunForm { commissioner: Some("QHM".into()), payment_date: Some("2026-11-26".into()) };
        assert_eq!(past.validate(day("2026-11-27")).unwrap_err().pointers(), ["/paymentDate"]);
        let empty = RunForm::default().validate(day("2026-11-27")).unwrap_err();
        assert_eq!(empty.pointers(), ["/commissioner", "/paymentDate"]);
        let garbled = RunForm { commissioner: Some("QHM".into()), payment_date: Some("15/12/2026".into()) };
        assert!(garbled.validate(day("2026-11-27")).is_err());
    }

    #[test]
    fn totals_by_practice_add_up_exactly() {
        let mut totals = Vec::new();
        let a = OdsCode::parse("A81002").unwrap();
        let b = OdsCode::parse("A81001").unwrap();
        add_to_totals(&mut totals, &a, "Queens Park", Money::parse("0.10").unwrap());
        add_to_totals(&mut totals, &b, "Densham", Money::parse("2321.04").unwrap());
        add_to_totals(&mut totals, &a, "Queens Park", Money::parse("0.20").unwrap());
        assert_eq!(totals[0].provider, b, "by practice code");
        assert_eq!((totals[1].claims, String::from(totals[1].total)), (2, "0.30".to_string()));
    }
}
