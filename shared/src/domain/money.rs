//! Money: pounds as `rust_decimal::Decimal` with at most 2 decimal places,
//! never a float. Totals are exact: 12 × £193.42 = £2,321.04.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Money(Decimal);

impl Money {
    pub const ZERO: Money = Money::from_pence(0);

    /// A fixed amount in pence (a default setting, say).
    pub const fn from_pence(pence: i64) -> Money {
        Money(Decimal::from_parts(pence as u32, (pence >> 32) as u32, 0, pence < 0, 2))
    }

    /// Parses "193.42" exactly as written: digits, then a point and one or two
    /// digits of pence if any (no currency sign, no thousands separators, no
    /// spaces, not negative) — what `pattern` tells the API document.
    pub fn parse(raw: &str) -> Result<Self, String> {
        if raw.starts_with('-') {
            return Err("The amount cannot be negative".to_string());
        }
        let (pounds, pence) = raw.split_once('.').unwrap_or((raw, "0"));
        let digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !digits(pounds) || !digits(pence) {
            return Err("Enter an amount in pounds, like 193.42".to_string());
        }
        if pence.len() > 2 {
            return Err("Amounts are in pounds and pence: use at most 2 decimal places".to_string());
        }
        let value = Decimal::from_str(raw).map_err(|_| "Enter an amount in pounds, like 193.42".to_string())?;
        Self::try_from_decimal(value)
    }

    /// The API document's pattern for an amount `parse` takes, from £0.00 (or
    /// £0.01 when `positive`) up to `max_pounds`, a power of ten (£1,000,000).
    pub fn pattern(max_pounds: i64, positive: bool) -> String {
        debug_assert!(max_pounds.to_string().trim_start_matches('1').bytes().all(|b| b == b'0'));
        let digits_below = max_pounds.to_string().len() - 1;
        let more_than_nothing = if positive { "(?=.*[1-9])" } else { "" };
        format!("^{more_than_nothing}0*([0-9]{{1,{digits_below}}}(\\.[0-9]{{1,2}})?|{max_pounds}(\\.00?)?)$")
    }

    pub fn try_from_decimal(value: Decimal) -> Result<Self, String> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err("The amount cannot be negative".to_string());
        }
        if value.normalize().scale() > 2 {
            return Err("Amounts are in pounds and pence: use at most 2 decimal places".to_string());
        }
        let mut exact = value;
        exact.rescale(2);
        Ok(Money(exact))
    }

    /// The amount in pence, exactly (totals are kept in pence where they are added up).
    pub fn pence(self) -> i64 {
        let mut scaled = self.0 * Decimal::from(100);
        scaled.rescale(0);
        i64::try_from(scaled).unwrap_or(i64::MAX)
    }

    pub fn amount(self) -> Decimal {
        self.0
    }

    /// The price of `units` at this unit price, exactly.
    pub fn times(self, units: u32) -> Money {
        let mut total = self.0 * Decimal::from(units);
        total.rescale(2);
        Money(total)
    }

    pub fn plus(self, other: Money) -> Money {
        Money(self.0 + other.0)
    }
}

impl TryFrom<String> for Money {
    type Error = String;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

/// Always with two decimal places ("0.00", "2321.04"), however it was made.
impl From<Money> for String {
    fn from(money: Money) -> Self {
        let mut exact = money.0;
        exact.rescale(2);
        exact.to_string()
    }
}

/// "£2,321.04", as a practice manager reads it.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = String::from(*self);
        let (whole, pence) = text.split_once('.').unwrap_or((&text, "00"));
        let digits: Vec<char> = whole.chars().collect();
        let mut grouped = String::new();
        for (i, digit) in digits.iter().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(*digit);
        }
        write!(f, "£{grouped}.{pence}")
    }
}

/// In the document: an amount in pounds, as text with two decimal places ("193.42").
impl utoipa::PartialSchema for Money {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .examples([serde_json::json!("193.42")])
            .into()
    }
}

impl utoipa::ToSchema for Money {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documents_pattern_takes_exactly_the_amounts_parsing_takes() {
        let within =
            |raw: &str, max_pounds: i64| Money::parse(raw).is_ok_and(|m| m <= Money::from_pence(max_pounds * 100));
        for max_pounds in [1_000_000, 100_000_000] {
            let pattern = regex_lite::Regex::new(&Money::pattern(max_pounds, false)).unwrap();
            for raw in [
                "0",
                "0.00",
                "193.42",
                "193.4",
                "000193.42",
                "999999.99",
                "1000000",
                "1000000.00",
                "1000000.01",
                "1000001",
                " 12.00",
                "12.",
                ".5",
                "12.345",
                "-1.00",
                "+1",
                "1_000",
                "1e3",
                "£5",
                "1,000",
                "",
                "99999999.99",
                "100000000.0",
                "100000000.10",
            ] {
                assert_eq!(pattern.is_match(raw), within(raw, max_pounds), "{raw} up to £{max_pounds}");
            }
        }
        let positive = Money::pattern(1_000_000, true);
        assert!(positive.starts_with("^(?=.*[1-9])") && positive.ends_with(&Money::pattern(1_000_000, false)[1..]));
    }

    /// A price, a Finance threshold and a budget are each described by the
    /// pattern their parsing and limit make.
    #[test]
    fn twelve_complex_care_plans_at_193_42_are_2_321_04() {
        let price = Money::parse("193.42").unwrap();
        let total = price.times(12);
        assert_eq!(String::from(total), "2321.04");
        assert_eq!(total.to_string(), "£2,321.04");
    }

    #[test]
    fn refuses_negative_and_three_decimal_amounts() {
        assert!(Money::parse("-1.00").unwrap_err().contains("negative"));
        assert_eq!(Money::from_pence(1_500_000), Money::parse("15000.00").unwrap());
        assert_eq!(Money::parse("2321.04").unwrap().pence(), 232_104);
        assert_eq!(Money::from_pence(Money::parse("0.07").unwrap().pence()), Money::parse("0.07").unwrap());
        assert!(Money::parse("1.005").unwrap_err().contains("2 decimal places"));
        assert!(Money::parse("£5").is_err());
        assert!(Money::parse("five").is_err());
        assert_eq!(String::from(Money::parse("1.50").unwrap()), "1.50");
        assert_eq!(String::from(Money::parse("7").unwrap()), "7.00");
        assert!(Money::parse("2.100").is_err(), "pence are two digits at most, as the document says");
    }

    #[test]
    fn formats_with_thousands_and_adds_exactly() {
        assert_eq!(Money::parse("0").unwrap().to_string(), "£0.00");
        assert_eq!(Money::parse("1234567.8").unwrap().to_string(), "£1,234,567.80");
        let sum = Money::parse("0.10").unwrap().plus(Money::parse("0.20").unwrap());
        assert_eq!(String::from(sum), "0.30");
        assert_eq!(Money::parse("15000").unwrap().times(0), Money::ZERO);
    }

    #[test]
    fn every_amount_is_written_with_two_decimal_places() {
        let made = [
            Money::ZERO,
            Money::ZERO.plus(Money::ZERO),
            Money::from_pence(0),
            Money::parse("0").unwrap(),
            Money::try_from_decimal(Decimal::new(5, 0)).unwrap(),
        ];
        let written: Vec<String> = made.into_iter().map(String::from).collect();
        assert_eq!(written, ["0.00", "0.00", "0.00", "0.00", "5.00"]);
        assert_eq!(serde_json::to_string(&Money::ZERO).unwrap(), "\"0.00\"");
    }
}
