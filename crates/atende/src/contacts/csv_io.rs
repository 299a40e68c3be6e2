//! CSV export and import formats, free of the database: what a spreadsheet user
//! produces and expects (Excel's `;` separator and Latin-1 files included), and
//! formula-injection guards, since names come straight from strangers' profiles.

use std::{borrow::Cow, collections::HashMap};

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde_json::{Map, Value};
use uuid::Uuid;

use super::{entity::contact, model::LeadStatus};

/// Columns of the export, in order; the import reads the same names back.
pub const EXPORT_HEADER: [&str; 9] = [
    "id",
    "name",
    "email",
    "phone",
    "lead_status",
    "source_channel",
    "first_seen_at",
    "last_activity_at",
    "custom_attributes",
];

/// How an export is written for the person who will open it: Excel in Portuguese
/// splits on `;` and shows local times; stages in their language, channels by name.
#[derive(Debug, Clone)]
pub struct ExportFormat {
    pub separator: u8,
    pub tz: Tz,
    pub locale: String,
    pub channel_names: HashMap<Uuid, String>,
}

/// A time as the export writes it: local, to the second (`2026-01-31 09:00:00`).
pub const LOCAL_TIME: &str = "%Y-%m-%d %H:%M:%S";

/// Reads an import time: RFC 3339, or a local time as the export writes it (seconds
/// optional) in the workspace's time zone.
pub fn parse_time(text: &str, tz: Tz) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    let local = NaiveDateTime::parse_from_str(text, LOCAL_TIME)
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M"))
        .ok()?;
    tz.from_local_datetime(&local).earliest().map(|at| at.with_timezone(&Utc))
}

pub use crate::http::csv::{export_writer, guard, unguard};

/// Appends contacts to a CSV writer (header written by the caller once).
pub fn write_contacts<W: std::io::Write>(
    writer: &mut csv::Writer<W>,
    contacts: &[contact::Model],
    format: &ExportFormat,
) -> Result<(), csv::Error> {
    let time = |at: DateTime<Utc>| at.with_timezone(&format.tz).format(LOCAL_TIME).to_string();
    for c in contacts {
        let attributes = c.custom_attributes.as_ref().map(Value::to_string).unwrap_or_default();
        let source = c.source_channel_id.and_then(|id| format.channel_names.get(&id)).map_or("", String::as_str);
        let stage = LeadStatus::parse(&c.lead_status).map_or(c.lead_status.as_str(), |s| s.label(&format.locale));
        let row = [
            c.id.to_string(),
            guard(&c.name).into_owned(),
            guard(c.email.as_deref().unwrap_or_default()).into_owned(),
            guard(c.phone.as_deref().unwrap_or_default()).into_owned(),
            stage.to_string(),
            guard(source).into_owned(),
            time(c.first_seen_at),
            time(c.last_activity_at),
            guard(&attributes).into_owned(),
        ];
        writer.write_record(&row)?;
    }
    Ok(())
}

/// A column of an import file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Column {
    Id,
    Name,
    Email,
    Phone,
    LeadStatus,
    CustomAttributes,
    FirstSeenAt,
    LastActivityAt,
    /// Exported but not imported: the channel a contact first wrote from is the
    /// system's to know.
    Ignored,
    /// Anything else becomes a custom attribute under the header as written.
    Attribute(String),
}

fn column_of(header: &str) -> Column {
    let key: String = header.chars().filter(|c| !matches!(c, ' ' | '_' | '-')).flat_map(char::to_lowercase).collect();
    match key.as_str() {
        "id" => Column::Id,
        "name" | "nome" => Column::Name,
        "email" => Column::Email,
        "phone" | "telefone" | "celular" => Column::Phone,
        "leadstatus" => Column::LeadStatus,
        "customattributes" => Column::CustomAttributes,
        "firstseenat" => Column::FirstSeenAt,
        "lastactivityat" => Column::LastActivityAt,
        "sourcechannel" | "sourcechannelid" => Column::Ignored,
        _ if header.trim().is_empty() => Column::Ignored,
        _ => Column::Attribute(header.trim().to_string()),
    }
}

/// One data row as written, before validation. Empty cells are `None`.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct RawRow {
    /// Spreadsheet row number (the header is row 1).
    pub row: u64,
    pub id: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub lead_status: Option<String>,
    pub custom_attributes: Option<String>,
    pub first_seen_at: Option<String>,
    pub last_activity_at: Option<String>,
    /// Unknown columns, as string custom attributes.
    pub extra: Map<String, Value>,
    /// A row the CSV reader could not read.
    pub unreadable: Option<String>,
}

/// Reads an import body: UTF-8 (BOM tolerated) or Latin-1, `,` `;` or tab separated.
/// Fails only when the file as a whole is unusable.
pub fn parse(body: &[u8]) -> Result<Vec<RawRow>, String> {
    let text = match std::str::from_utf8(body) {
        Ok(text) => Cow::Borrowed(text),
        // Excel on Windows in Brazil saves CSV as Windows-1252; Latin-1 covers its letters.
        Err(_) => Cow::Owned(body.iter().map(|&b| char::from(b)).collect::<String>()),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.trim().is_empty() {
        return Err("the file is empty".into());
    }
    let first_line = text.lines().next().unwrap_or_default();
    let delimiter =
        [b',', b';', b'\t'].into_iter().max_by_key(|d| first_line.bytes().filter(|b| b == d).count()).unwrap_or(b',');
    let mut reader =
        csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let columns: Vec<Column> =
        reader.headers().map_err(|e| format!("cannot read the header row: {e}"))?.iter().map(column_of).collect();
    if !columns.contains(&Column::Name) {
        return Err("the header row must have a name column".into());
    }
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let mut row = RawRow { row: index as u64 + 2, ..RawRow::default() };
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                row.unreadable = Some(e.to_string());
                rows.push(row);
                continue;
            }
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        for (column, cell) in columns.iter().zip(record.iter()) {
            if cell.is_empty() {
                continue;
            }
            let value = Some(unguard(cell).to_string());
            match column {
                Column::Id => row.id = value,
                Column::Name => row.name = value,
                Column::Email => row.email = value,
                Column::Phone => row.phone = value,
                Column::LeadStatus => row.lead_status = value,
                Column::CustomAttributes => row.custom_attributes = value,
                Column::FirstSeenAt => row.first_seen_at = value,
                Column::LastActivityAt => row.last_activity_at = value,
                Column::Ignored => {}
                Column::Attribute(key) => {
                    row.extra.insert(key.clone(), Value::String(unguard(cell).to_string()));
                }
            }
        }
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_guarded_and_restored_exactly() {
        for value in [
            "=HYPERLINK(\"x\")",
            "@SUM(A1)",
            "+cmd|' /C calc'!A0",
            "-2+A1",
            "'=x",
            "''@y",
            "\t=1",
            "\r=1",
            "+5511999990000",
            "-12",
            "x;=cmd|' /C calc'!A0",
            "Maria, a Rainha",
            "'a,b",
        ] {
            let guarded = guard(value);
            assert!(guarded.starts_with('\''), "{value}");
            assert_eq!(unguard(&guarded), value);
        }
        for value in ["Maria", "'quoted", "{\"a\":1}", ""] {
            assert_eq!(guard(value), value);
            assert_eq!(unguard(value), value);
        }
    }

    #[test]
    fn every_exported_cell_is_quoted_so_neither_separator_splits_it() {
        for (separator, expected) in [
            (b',', "\u{feff}\"1\",\"'Ana;=HYPERLINK(\"\"http://evil\"\")\",\"'=1+1\",\"a,b\"\n"),
            (b';', "\u{feff}\"1\";\"'Ana;=HYPERLINK(\"\"http://evil\"\")\";\"'=1+1\";\"a,b\"\n"),
        ] {
            let mut writer = export_writer(separator);
            let name = "Ana;=HYPERLINK(\"http://evil\")";
            writer.write_record(["1", &guard(name), &guard("=1+1"), "a,b"]).unwrap();
            let text = String::from_utf8(writer.into_inner().unwrap()).unwrap();
            assert_eq!(text, expected);
        }
    }

    #[test]
    fn a_pt_br_export_reads_back_with_its_local_times_and_stage_names() {
        let tz: Tz = "America/Sao_Paulo".parse().unwrap();
        let at = Utc.with_ymd_and_hms(2026, 1, 31, 12, 0, 0).unwrap();
        let contact = contact::Model {
            id: Uuid::nil(),
            tenant_id: Uuid::nil(),
            name: "João".into(),
            email: None,
            phone: Some("+5511999990000".into()),
            source_channel_id: Some(Uuid::max()),
            custom_attributes: None,
            lead_status: "qualified".into(),
            first_seen_at: at,
            last_activity_at: at,
            search_text: String::new(),
            created_at: at,
            updated_at: at,
        };
        let format = ExportFormat {
            separator: b';',
            tz,
            locale: "pt-BR".into(),
            channel_names: HashMap::from([(Uuid::max(), "WhatsApp Vendas".to_string())]),
        };
        let mut writer = export_writer(format.separator);
        writer.write_record(EXPORT_HEADER).unwrap();
        write_contacts(&mut writer, &[contact], &format).unwrap();
        let bytes = writer.into_inner().unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.contains("\"Qualificado\";\"WhatsApp Vendas\";\"2026-01-31 09:00:00\""), "{text}");
        let rows = parse(&bytes).unwrap();
        assert_eq!(rows[0].lead_status.as_deref().and_then(LeadStatus::parse), Some(LeadStatus::Qualified));
        assert_eq!(rows[0].first_seen_at.as_deref().and_then(|t| parse_time(t, tz)), Some(at));
        assert_eq!(rows[0].phone.as_deref(), Some("+5511999990000"));
        assert_eq!(parse_time("2026-01-31T12:00:00Z", tz), Some(at));
        assert_eq!(parse_time("2026-01-31 09:00", tz), Some(at));
        assert_eq!(parse_time("31/01/2026", tz), None);
    }

    #[test]
    fn excel_semicolon_latin1_files_with_extra_columns_are_read() {
        let body = b"Nome;Telefone;Cidade;lead_status\r\nJo\xe3o;(11) 99999-0000;S\xe3o Paulo;customer\r\n;;;\r\n";
        let rows = parse(body).unwrap();
        assert_eq!(rows.len(), 1, "blank rows are skipped");
        let row = &rows[0];
        assert_eq!(row.row, 2);
        assert_eq!(row.name.as_deref(), Some("João"));
        assert_eq!(row.phone.as_deref(), Some("(11) 99999-0000"));
        assert_eq!(row.lead_status.as_deref(), Some("customer"));
        assert_eq!(row.extra["Cidade"], "São Paulo");
    }

    #[test]
    fn a_file_without_a_name_column_is_refused() {
        assert!(parse(b"email,phone\na@b.co,1\n").unwrap_err().contains("name"));
        assert!(parse(b"\xef\xbb\xbf  \n").unwrap_err().contains("empty"));
        assert!(parse(b"\xef\xbb\xbfname\nAna\n").is_ok(), "a UTF-8 BOM is ignored");
    }
}
