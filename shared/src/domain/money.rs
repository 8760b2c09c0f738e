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

    /// Parses "193.42" (no currency sign, no thousands separators, not negative,
    /// at most 2 decimal places).
    pub fn parse(raw: &str) -> Result<Self, String> {
        let value = Decimal::from_str(raw.trim()).map_err(|_| "Enter an amount in pounds, like 193.42".to_string())?;
        Self::try_from_decimal(value)
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(String::from(Money::parse("2.100").unwrap()), "2.10", "trailing zeros are not pence");
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
