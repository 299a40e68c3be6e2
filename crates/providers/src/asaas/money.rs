//! Money as integer cents, converted to and from Asaas' decimal JSON numbers
//! without float arithmetic that could lose a cent.

use std::fmt;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An amount in BRL, stored as integer cents.
///
/// On the wire it is a JSON number in reais (`1234567.89`). Parsing goes
/// through the decimal text of the number (never `value * 100.0`); values with
/// more than two decimals are rounded half away from zero to the cent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

/// A text or number that is not a valid amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Not a plain decimal number (`12`, `-0.5`, `1234.56`).
    #[error("`{0}` is not a decimal amount")]
    Invalid(String),
    /// Does not fit in the supported range.
    #[error("amount `{0}` is out of range")]
    OutOfRange(String),
}

/// Largest magnitude (in cents) written to JSON: 15 significant digits, the
/// range where `cents as f64 / 100.0` always prints back as the exact decimal
/// (any decimal of at most 15 significant digits survives a round trip through
/// an IEEE double, and the division is correctly rounded).
const MAX_JSON_CENTS: i64 = 999_999_999_999_999;

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(0);

    /// An amount of `cents` cents.
    pub const fn from_cents(cents: i64) -> Self {
        Money(cents)
    }

    /// The amount in cents.
    pub const fn cents(self) -> i64 {
        self.0
    }

    /// Sum, or `None` on overflow.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    /// Difference, or `None` on overflow.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.0.checked_sub(other.0).map(Money)
    }

    /// Parses a plain decimal in reais (`"1234567.89"`, `"-0.5"`, `"100"`).
    /// No exponent, no thousands separators. More than two decimals round half
    /// away from zero.
    pub fn parse(text: &str) -> Result<Self, MoneyError> {
        let invalid = || MoneyError::Invalid(text.to_owned());
        let s = text.trim();
        let (negative, s) = match s.as_bytes().first() {
            Some(b'-') => (true, &s[1..]),
            Some(b'+') => (false, &s[1..]),
            _ => (false, s),
        };
        let (int_part, frac_part) = s.split_once('.').unwrap_or((s, ""));
        let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if (int_part.is_empty() && frac_part.is_empty()) || !all_digits(int_part) || !all_digits(frac_part) {
            return Err(invalid());
        }
        let out_of_range = || MoneyError::OutOfRange(text.to_owned());
        let mut cents: i64 = 0;
        for b in int_part.bytes() {
            cents = cents.checked_mul(10).and_then(|c| c.checked_add(i64::from(b - b'0'))).ok_or_else(out_of_range)?;
        }
        let frac = frac_part.as_bytes();
        let digit = |i: usize| frac.get(i).map_or(0, |b| i64::from(b - b'0'));
        let round_up = i64::from(digit(2) >= 5);
        cents = cents
            .checked_mul(100)
            .and_then(|c| c.checked_add(digit(0) * 10 + digit(1) + round_up))
            .ok_or_else(out_of_range)?;
        Ok(Money(if negative { -cents } else { cents }))
    }

    /// The amount as a decimal in reais with two decimals (`"1234567.89"`).
    pub fn to_decimal_string(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_decimal_string())
    }
}

impl FromStr for Money {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse(s)
    }
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.0.unsigned_abs() > MAX_JSON_CENTS.unsigned_abs() {
            return Err(serde::ser::Error::custom(MoneyError::OutOfRange(self.to_decimal_string())));
        }
        // Exact by the argument on MAX_JSON_CENTS: the shortest representation
        // of this double is the two-decimal amount.
        #[allow(clippy::cast_precision_loss)]
        let reais = self.0 as f64 / 100.0;
        serializer.serialize_f64(reais)
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(MoneyVisitor)
    }
}

struct MoneyVisitor;

impl Visitor<'_> for MoneyVisitor {
    type Value = Money;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an amount in reais (number or decimal string)")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Money, E> {
        v.checked_mul(100).map(Money).ok_or_else(|| E::custom(MoneyError::OutOfRange(v.to_string())))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Money, E> {
        i64::try_from(v)
            .ok()
            .and_then(|v| v.checked_mul(100))
            .map(Money)
            .ok_or_else(|| E::custom(MoneyError::OutOfRange(v.to_string())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Money, E> {
        if !v.is_finite() {
            return Err(E::custom(MoneyError::Invalid(v.to_string())));
        }
        // `Display` for f64 prints the shortest decimal that parses back to the
        // same double, without exponent: `1234567.89`, `0.3`. Parsing that text
        // recovers the decimal the JSON carried (a parser off by one ulp shows
        // up as ...999 / ...001 beyond the cents and is rounded away).
        Money::parse(&v.to_string()).map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Money, E> {
        Money::parse(v).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_format() {
        assert_eq!(Money::parse("1234567.89").unwrap().cents(), 123_456_789);
        assert_eq!(Money::parse("100").unwrap().cents(), 10_000);
        assert_eq!(Money::parse("100.0").unwrap().cents(), 10_000);
        assert_eq!(Money::parse("0.1").unwrap().cents(), 10);
        assert_eq!(Money::parse(".5").unwrap().cents(), 50);
        assert_eq!(Money::parse("-0.01").unwrap().cents(), -1);
        assert_eq!(Money::parse("0.125").unwrap().cents(), 13);
        assert_eq!(Money::parse("0.1249").unwrap().cents(), 12);
        assert_eq!(Money::parse("-0.125").unwrap().cents(), -13);
        assert_eq!(Money::parse("0.29999999999999998").unwrap().cents(), 30);
        for bad in ["", "-", ".", "1,5", "1e3", "abc", "1.2.3", "--1", "1 000"] {
            assert!(Money::parse(bad).is_err(), "{bad}");
        }
        assert!(matches!(Money::parse("92233720368547758.08"), Err(MoneyError::OutOfRange(_))));
        assert_eq!(Money::from_cents(123_456_789).to_string(), "1234567.89");
        assert_eq!(Money::from_cents(-5).to_string(), "-0.05");
        assert_eq!(Money::from_cents(i64::MIN).to_string(), "-92233720368547758.08");
    }

    #[test]
    fn tenth_plus_fifth_is_three_tenths() {
        let sum = Money::parse("0.1").unwrap().checked_add(Money::parse("0.2").unwrap()).unwrap();
        assert_eq!(sum, Money::parse("0.3").unwrap());
        assert_eq!(serde_json::to_string(&sum).unwrap(), "0.3");
        // The float way is wrong, which is why we never do it.
        assert_ne!(0.1_f64 + 0.2_f64, 0.3_f64);
    }

    #[test]
    fn json_round_trips_exactly() {
        for text in [
            "0.01",
            "0.1",
            "0.3",
            "98.01",
            "100.0",
            "1234567.89",
            "-1234567.89",
            "9999999999999.99",
            "0.07",
            "1.15",
            "2.675",
            "19.99",
            "4.35",
        ] {
            let m: Money = serde_json::from_str(text).unwrap();
            assert_eq!(m, Money::parse(text).unwrap(), "{text}");
            let back = serde_json::to_string(&m).unwrap();
            let again: Money = serde_json::from_str(&back).unwrap();
            assert_eq!(again, m, "{text} -> {back}");
        }
        assert_eq!(serde_json::to_string(&Money::from_cents(123_456_789)).unwrap(), "1234567.89");
        assert_eq!(serde_json::to_string(&Money::from_cents(10_000)).unwrap(), "100.0");
        assert_eq!(serde_json::to_string(&Money::from_cents(1)).unwrap(), "0.01");
        // Every cent value in a wide range survives the trip.
        for cents in (0..2_000_000).step_by(7).chain([99_999_999_999_999, -99_999_999_999_999]) {
            let m = Money::from_cents(cents);
            let back: Money = serde_json::from_str(&serde_json::to_string(&m).unwrap()).unwrap();
            assert_eq!(back, m);
        }
    }

    #[test]
    fn integers_and_strings_are_accepted() {
        assert_eq!(serde_json::from_str::<Money>("100").unwrap().cents(), 10_000);
        assert_eq!(serde_json::from_str::<Money>("\"12.30\"").unwrap().cents(), 1_230);
        assert!(serde_json::from_str::<Money>("true").is_err());
        assert!(serde_json::from_str::<Money>("\"abc\"").is_err());
    }

    #[test]
    fn too_large_for_json_is_an_error() {
        assert!(serde_json::to_string(&Money::from_cents(MAX_JSON_CENTS)).is_ok());
        assert!(serde_json::to_string(&Money::from_cents(MAX_JSON_CENTS + 1)).is_err());
    }
}
