//! The CSV writer of every export (contacts, audit log): every cell quoted, and cells a
//! spreadsheet would evaluate neutralised (OWASP "CSV injection").

use std::borrow::Cow;

/// Whether a spreadsheet could run this cell as a formula (OWASP "CSV injection"): it
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return (phones like `+5511…`
/// too: Excel would turn them into numbers), or it contains a separator, `,` or `;`
/// (pt-BR Excel splits on `;`), after which a formula could start a new cell.
fn is_formula(value: &str) -> bool {
    let unquoted = value.trim_start_matches('\'');
    matches!(unquoted.chars().next(), Some('=' | '+' | '-' | '@' | '\t' | '\r')) || value.contains([',', ';'])
}

/// The CSV writer of exports: a UTF-8 byte-order mark first (so Excel reads the
/// accents), then every cell quoted, so no cell is ever split by a spreadsheet that
/// reads the other separator (`,` or `;`, pt-BR Excel's), and a formula hidden after
/// a separator (`x;=cmd|…`) stays inside its quoted cell.
pub fn export_writer(separator: u8) -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .delimiter(separator)
        .quote_style(csv::QuoteStyle::Always)
        .from_writer("\u{feff}".as_bytes().to_vec())
}

/// Prefixes `'` to cells a spreadsheet would evaluate (OWASP "CSV injection").
/// Cells that already start with quotes before a formula get one more, so that
/// `unguard` restores every value exactly.
pub fn guard(value: &str) -> Cow<'_, str> {
    if is_formula(value) { Cow::Owned(format!("'{value}")) } else { Cow::Borrowed(value) }
}

/// Undoes `guard`.
pub fn unguard(value: &str) -> &str {
    match value.strip_prefix('\'') {
        Some(rest) if is_formula(value) => rest,
        _ => value,
    }
}
