//! Phone numbers parsed once at the boundary into E.164 (`+` and 8–15 digits).
//! Brazilian input is the default: 10–11 digits are a DDD + number without the
//! country code, so `+55` is assumed.

use std::fmt;

/// A phone number in E.164 form, e.g. `+5511999990000`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct E164(String);

/// Why a phone number was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneError {
    Empty,
    InvalidCharacters,
    WrongLength,
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PhoneError::Empty => "is empty",
            PhoneError::InvalidCharacters => {
                "may contain only digits, spaces, dots, hyphens, parentheses and a leading +"
            }
            PhoneError::WrongLength => "must have a DDD and number (10-11 digits) or a country code (up to 15 digits)",
        })
    }
}

/// The country assumed when no country code is given.
const DEFAULT_COUNTRY_CODE: &str = "55";

impl E164 {
    /// Parses what people type: `(11) 99999-0000`, `+55 11 99999 0000`, `0055…`, `011…`.
    pub fn parse(input: &str) -> Result<Self, PhoneError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(PhoneError::Empty);
        }
        let (explicit_plus, rest) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        if !rest.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')')) {
            return Err(PhoneError::InvalidCharacters);
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        let international = if explicit_plus {
            digits
        } else if let Some(after) = digits.strip_prefix("00") {
            // International call prefix.
            after.to_string()
        } else {
            // A single trunk `0` before the DDD is common in Brazil: 011 99999-0000.
            let national = match digits.strip_prefix('0') {
                Some(after) if (10..=11).contains(&after.len()) => after,
                _ => digits.as_str(),
            };
            match national.len() {
                10..=11 => format!("{DEFAULT_COUNTRY_CODE}{national}"),
                // Without a `+`, shorter numbers lack a DDD: we cannot guess it.
                12.. => national.to_string(),
                _ => return Err(PhoneError::WrongLength),
            }
        };
        if !(8..=15).contains(&international.len()) || international.starts_with('0') {
            return Err(PhoneError::WrongLength);
        }
        Ok(E164(format!("+{international}")))
    }

    /// `+5511999990000`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Without the plus: `5511999990000` (how some providers send it).
    pub fn digits(&self) -> &str {
        &self.0[1..]
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for E164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<String, PhoneError> {
        E164::parse(s).map(E164::into_string)
    }

    #[test]
    fn brazilian_numbers_without_country_code_get_plus_55() {
        assert_eq!(parse("(11) 99999-0000").as_deref(), Ok("+5511999990000"));
        assert_eq!(parse("11 3333 4444").as_deref(), Ok("+551133334444"));
        assert_eq!(parse("011 99999-0000").as_deref(), Ok("+5511999990000"));
    }

    #[test]
    fn numbers_with_a_country_code_are_kept() {
        assert_eq!(parse("+55 11 99999-0000").as_deref(), Ok("+5511999990000"));
        assert_eq!(parse("5511999990000").as_deref(), Ok("+5511999990000"));
        assert_eq!(parse("0055 11 99999 0000").as_deref(), Ok("+5511999990000"));
        assert_eq!(parse("+1 (415) 555-0100").as_deref(), Ok("+14155550100"));
        assert_eq!(E164::parse("+5511999990000").unwrap().digits(), "5511999990000");
    }

    #[test]
    fn garbage_is_refused() {
        assert_eq!(parse(""), Err(PhoneError::Empty));
        assert_eq!(parse("call me"), Err(PhoneError::InvalidCharacters));
        assert_eq!(parse("+55 11 9999x0000"), Err(PhoneError::InvalidCharacters));
        assert_eq!(parse("12345"), Err(PhoneError::WrongLength));
        assert_eq!(parse("99999-0000"), Err(PhoneError::WrongLength), "no DDD");
        assert_eq!(parse("+1234567890123456"), Err(PhoneError::WrongLength));
        assert_eq!(parse("++5511999990000"), Err(PhoneError::InvalidCharacters));
    }
}
