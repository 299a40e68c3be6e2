//! CSV for spreadsheets: UTF-8 with a byte-order mark, `;` between cells for pt-BR
//! (Excel's list separator there, as the decimal mark is a comma) and `,` for English,
//! and cells a spreadsheet would run as a formula neutralised (OWASP "CSV injection":
//! a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'` in front). Numbers
//! are written by us and never neutralised.

/// A cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text from people (names, categories): neutralised.
    Text(String),
    Int(i64),
    /// A decimal number, written with the locale's decimal mark.
    Num(Option<f64>),
    Empty,
}

/// The separators of a locale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    pub separator: u8,
    pub decimal_comma: bool,
}

impl Dialect {
    /// `pt-BR` (and anything not English): `;` and decimal comma.
    pub fn for_locale(locale: &str) -> Self {
        if locale.starts_with("en") {
            Dialect { separator: b',', decimal_comma: false }
        } else {
            Dialect { separator: b';', decimal_comma: true }
        }
    }
}

/// The text a spreadsheet will not evaluate.
pub fn neutralise(value: &str) -> String {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{value}"),
        _ => value.to_string(),
    }
}

fn render(cell: &Cell, dialect: Dialect) -> String {
    match cell {
        Cell::Text(s) => neutralise(s),
        Cell::Int(n) => n.to_string(),
        Cell::Num(Some(x)) => {
            let s = format!("{x:.2}");
            if dialect.decimal_comma { s.replace('.', ",") } else { s }
        }
        Cell::Num(None) | Cell::Empty => String::new(),
    }
}

/// The whole file: BOM, header, rows (quoted where needed).
pub fn write(dialect: Dialect, header: &[&str], rows: &[Vec<Cell>]) -> Result<Vec<u8>, csv::Error> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = csv::WriterBuilder::new().delimiter(dialect.separator).from_writer(&mut out);
        writer.write_record(header)?;
        for row in rows {
            writer.write_record(row.iter().map(|c| render(c, dialect)))?;
        }
        writer.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_are_not() {
        for bad in ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
        assert_eq!(neutralise("Ana"), "Ana");
        let pt = Dialect::for_locale("pt-BR");
        assert_eq!(render(&Cell::Int(-5), pt), "-5");
        assert_eq!(render(&Cell::Num(Some(0.5)), pt), "0,50");
        assert_eq!(render(&Cell::Num(Some(0.5)), Dialect::for_locale("en")), "0.50");
    }

    #[test]
    fn files_have_a_bom_the_locale_separator_and_quoting() {
        let rows = vec![vec![Cell::Text("Suporte; Faturamento".into()), Cell::Num(Some(1.25)), Cell::Empty]];
        let bytes = write(Dialect::for_locale("pt-BR"), &["a", "b", "c"], &rows).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text, "\u{feff}a;b;c\n\"Suporte; Faturamento\";1,25;\n");
        let bytes = write(Dialect::for_locale("en"), &["a"], &[vec![Cell::Text("=HYPERLINK(\"x\")".into())]]).unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), "\u{feff}a\n\"'=HYPERLINK(\"\"x\"\")\"\n");
    }
}
