//! CPF / CNPJ (Brazilian taxpayer ids) with check-digit validation.

use std::fmt;

/// A validated CPF (person, 11 digits) or CNPJ (company, 14 characters).
///
/// Only [`validate_cpf_cnpj`] (or `str::parse`) builds one, so holding a
/// `Document` means the check digits were verified. It keeps the bare form
/// Asaas expects in `cpfCnpj`. CNPJs may be alphanumeric (letters in the first
/// 12 positions, the format the Receita Federal issues from July 2026); check
/// digits then use the character's ASCII code minus 48.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Document {
    kind: DocumentKind,
    value: String,
}

/// Which kind of taxpayer id a [`Document`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DocumentKind {
    /// Cadastro de Pessoas Físicas (person), 11 digits.
    Cpf,
    /// Cadastro Nacional da Pessoa Jurídica (company), 14 characters.
    Cnpj,
}

/// Why a CPF/CNPJ was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    /// A character that is neither a digit, a letter (CNPJ) nor `.`, `-`, `/`, space.
    #[error("invalid character `{0}` in CPF/CNPJ")]
    InvalidCharacter(char),
    /// Not 11 (CPF) or 14 (CNPJ) characters once formatting is removed.
    #[error("a CPF has 11 digits and a CNPJ 14 characters, got {0}")]
    InvalidLength(usize),
    /// Every digit the same (`111.111.111-11`), which passes the checksum.
    #[error("CPF/CNPJ with all characters equal")]
    RepeatedDigits,
    /// The check digits do not match.
    #[error("CPF/CNPJ check digits do not match")]
    CheckDigits,
}

impl Document {
    /// The bare form (`12345678909`, `11222333000181`).
    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// CPF or CNPJ.
    pub fn kind(&self) -> DocumentKind {
        self.kind
    }

    /// Whether it is a CPF.
    pub fn is_cpf(&self) -> bool {
        self.kind == DocumentKind::Cpf
    }

    /// The usual display form (`123.456.789-09`, `11.222.333/0001-81`).
    pub fn formatted(&self) -> String {
        // `value` is ASCII of exactly 11 / 14 characters (checked on construction).
        let s = self.value.as_str();
        match self.kind {
            DocumentKind::Cpf => format!("{}.{}.{}-{}", &s[0..3], &s[3..6], &s[6..9], &s[9..11]),
            DocumentKind::Cnpj => format!("{}.{}.{}/{}-{}", &s[0..2], &s[2..5], &s[5..8], &s[8..12], &s[12..14]),
        }
    }
}

impl std::str::FromStr for Document {
    type Err = DocumentError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        validate_cpf_cnpj(s)
    }
}

impl fmt::Display for Document {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formatted())
    }
}

/// Validates a CPF or CNPJ, formatted (`123.456.789-09`, `11.222.333/0001-81`)
/// or bare, and returns its bare form. Rejects wrong lengths, wrong check
/// digits and all-same-character numbers.
pub fn validate_cpf_cnpj(input: &str) -> Result<Document, DocumentError> {
    let mut chars = Vec::with_capacity(14);
    for c in input.trim().chars() {
        match c {
            '.' | '-' | '/' | ' ' => {}
            c if c.is_ascii_alphanumeric() => chars.push(c.to_ascii_uppercase() as u8),
            c => return Err(DocumentError::InvalidCharacter(c)),
        }
    }
    let value = |b: u8| u32::from(b - b'0');
    match chars.len() {
        11 => {
            if let Some(&c) = chars.iter().find(|b| !b.is_ascii_digit()) {
                return Err(DocumentError::InvalidCharacter(char::from(c)));
            }
            if chars.iter().all(|&b| b == chars[0]) {
                return Err(DocumentError::RepeatedDigits);
            }
            let digits: Vec<u32> = chars.iter().map(|&b| value(b)).collect();
            for n in [9, 10] {
                let sum: u32 = (0..n).map(|i| digits[i] * (n as u32 + 1 - i as u32)).sum();
                let dv = (sum * 10) % 11 % 10;
                if dv != digits[n] {
                    return Err(DocumentError::CheckDigits);
                }
            }
            Ok(Document { kind: DocumentKind::Cpf, value: String::from_utf8_lossy(&chars).into_owned() })
        }
        14 => {
            if let Some(&c) = chars[12..].iter().find(|b| !b.is_ascii_digit()) {
                return Err(DocumentError::InvalidCharacter(char::from(c)));
            }
            if chars.iter().all(|&b| b == chars[0]) {
                return Err(DocumentError::RepeatedDigits);
            }
            // Digits and A–Z map to (ASCII − 48): 0–9 and 17–42.
            let values: Vec<u32> = chars.iter().map(|&b| value(b)).collect();
            const WEIGHTS: [u32; 13] = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
            for n in [12, 13] {
                let weights = &WEIGHTS[13 - n..];
                let sum: u32 = values[..n].iter().zip(weights).map(|(v, w)| v * w).sum();
                let r = sum % 11;
                let dv = if r < 2 { 0 } else { 11 - r };
                if dv != values[n] {
                    return Err(DocumentError::CheckDigits);
                }
            }
            Ok(Document { kind: DocumentKind::Cnpj, value: String::from_utf8_lossy(&chars).into_owned() })
        }
        n => Err(DocumentError::InvalidLength(n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_cpfs() {
        for (input, bare) in [
            ("123.456.789-09", "12345678909"),
            ("12345678909", "12345678909"),
            ("529.982.247-25", "52998224725"),
            (" 111.444.777-35 ", "11144477735"),
        ] {
            let d = validate_cpf_cnpj(input).unwrap();
            assert!(d.is_cpf());
            assert_eq!(d.as_str(), bare);
        }
        assert_eq!(validate_cpf_cnpj("12345678909").unwrap().formatted(), "123.456.789-09");
    }

    #[test]
    fn valid_cnpjs() {
        for (input, bare) in [
            ("11.222.333/0001-81", "11222333000181"),
            ("12345678000195", "12345678000195"),
            ("11.444.777/0001-61", "11444777000161"),
            ("12.ABC.345/01DE-35", "12ABC34501DE35"),
            ("12.abc.345/01de-35", "12ABC34501DE35"),
        ] {
            let d: Document = input.parse().unwrap();
            assert_eq!(d.kind(), DocumentKind::Cnpj);
            assert_eq!(d.as_str(), bare);
        }
        assert_eq!(validate_cpf_cnpj("11222333000181").unwrap().to_string(), "11.222.333/0001-81");
    }

    #[test]
    fn invalid_documents() {
        assert_eq!(validate_cpf_cnpj("123.456.789-00"), Err(DocumentError::CheckDigits));
        assert_eq!(validate_cpf_cnpj("123.456.789-90"), Err(DocumentError::CheckDigits));
        assert_eq!(validate_cpf_cnpj("11.222.333/0001-82"), Err(DocumentError::CheckDigits));
        assert_eq!(validate_cpf_cnpj("111.111.111-11"), Err(DocumentError::RepeatedDigits));
        assert_eq!(validate_cpf_cnpj("00000000000"), Err(DocumentError::RepeatedDigits));
        assert_eq!(validate_cpf_cnpj("00.000.000/0000-00"), Err(DocumentError::RepeatedDigits));
        assert_eq!(validate_cpf_cnpj("1234567890"), Err(DocumentError::InvalidLength(10)));
        assert_eq!(validate_cpf_cnpj(""), Err(DocumentError::InvalidLength(0)));
        assert_eq!(validate_cpf_cnpj("123_456_789_09"), Err(DocumentError::InvalidCharacter('_')));
        assert_eq!(validate_cpf_cnpj("1234567890A"), Err(DocumentError::InvalidCharacter('A')));
        assert_eq!(validate_cpf_cnpj("1122233300018A"), Err(DocumentError::InvalidCharacter('A')));
        assert_eq!(validate_cpf_cnpj("１２３"), Err(DocumentError::InvalidCharacter('１')));
    }
}
