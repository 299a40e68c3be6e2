//! Contacts in and out as CSV: the export (every contact matching a filter) and the
//! import (rows matched to existing contacts by id, phone or email; every bad row
//! reported with a stable code per column, none of them undoing the others).

use chrono_tz::Tz;
use sea_orm::{DatabaseTransaction, TransactionTrait};
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::{
    changes::{Changes, FieldErrors, Problem, attributes_object, parse_email, parse_name, parse_phone},
    csv_io::{self, ExportFormat, RawRow},
    entity::contact,
    model::{ImportError, ImportReport, LeadStatus, Separator},
    service::save,
    store::{self, ContactFilter},
};
use crate::{
    audit::{self, Entry},
    error::{AppError, AppResult},
    state::AppState,
    tenancy::{Role, Scope},
};

/// Import rows written per transaction: big enough to be fast, small enough not to
/// hold SQLite's single writer lock for long while messages keep arriving.
const IMPORT_CHUNK: usize = 500;
/// Errors listed in an import report (all are counted).
const MAX_IMPORT_ERRORS: usize = 1000;
/// Contacts read per query while exporting.
const EXPORT_PAGE: u64 = 1000;

/// The contacts matching the filter as CSV (managers and admins), written for the
/// spreadsheet of the workspace's language unless `separator` says otherwise.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id), err(level = "debug"))]
pub async fn export_csv(
    state: &AppState,
    scope: &Scope,
    filter: ContactFilter<'_>,
    separator: Option<Separator>,
) -> AppResult<Vec<u8>> {
    scope.require(Role::Manager)?;
    let settings = crate::settings::load(&state.db, scope).await?;
    let separator =
        separator.unwrap_or(if settings.locale.starts_with("en") { Separator::Comma } else { Separator::Semicolon });
    let format = ExportFormat {
        separator: if separator == Separator::Comma { b',' } else { b';' },
        tz: settings.timezone.parse().unwrap_or(Tz::UTC),
        locale: settings.locale,
        channel_names: store::channel_names(&state.db, scope).await?,
    };
    let internal = |e: csv::Error| AppError::Internal(e.into());
    let mut writer = csv_io::export_writer(format.separator);
    writer.write_record(csv_io::EXPORT_HEADER).map_err(internal)?;
    let mut after = None;
    let mut count = 0usize;
    loop {
        let page = store::export_page(&state.db, scope, filter, after, EXPORT_PAGE).await?;
        csv_io::write_contacts(&mut writer, &page, &format).map_err(internal)?;
        count += page.len();
        match page.last() {
            Some(last) if page.len() as u64 == EXPORT_PAGE => after = Some(last.id),
            _ => break,
        }
    }
    // A bulk copy of personal data is worth a trace (LGPD accountability).
    audit::record(
        &state.db,
        scope,
        Entry::new("contact.exported", "tenant", scope.tenant_id).details(json!({ "contacts": count })),
    )
    .await?;
    writer.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("csv writer: {e}")))
}

/// Validates one import row into changes, or lists its problems (CSV column names).
fn row_changes(row: &RawRow, tz: Tz) -> Result<(Changes, Option<Uuid>), Vec<ImportError>> {
    let mut errors = FieldErrors::default();
    if let Some(problem) = &row.unreadable {
        errors.add("row", Problem::new("unreadable", format!("cannot be read: {problem}")));
    }
    let mut changes =
        Changes { name: parse_name(row.name.as_deref().unwrap_or_default(), &mut errors), ..Changes::default() };
    if let Some(email) = &row.email {
        changes.email = parse_email(email, &mut errors, "email");
    }
    if let Some(phone) = &row.phone {
        changes.phone = parse_phone(phone, &mut errors, "phone");
    }
    if let Some(status) = &row.lead_status {
        match LeadStatus::parse(status) {
            Some(status) => changes.lead_status = Some(status),
            None => errors.add(
                "lead_status",
                Problem::new("invalid_lead_status", "must be new, contacted, qualified, customer or lost"),
            ),
        }
    }
    let mut attributes = Map::new();
    if let Some(text) = &row.custom_attributes {
        match serde_json::from_str::<Value>(text)
            .map_err(|e| Problem::new("invalid_json", e.to_string()))
            .and_then(attributes_object)
        {
            Ok(map) => attributes = map,
            Err(problem) => errors.add("custom_attributes", problem),
        }
    }
    attributes.extend(row.extra.clone());
    if !attributes.is_empty() {
        changes.attributes = Some(Some(attributes));
    }
    let mut parse_time = |text: &Option<String>, field: &'static str| {
        text.as_deref().and_then(|t| {
            let at = csv_io::parse_time(t, tz);
            if at.is_none() {
                errors.add(
                    field,
                    Problem::new(
                        "invalid_time",
                        "must be a time such as 2026-01-31 09:00 (local) or 2026-01-31T12:00:00Z",
                    ),
                );
            }
            at
        })
    };
    changes.first_seen_at = parse_time(&row.first_seen_at, "first_seen_at");
    changes.last_activity_at = parse_time(&row.last_activity_at, "last_activity_at");
    // An id from another workspace (or a typo) simply matches nothing.
    let id = row.id.as_deref().and_then(|id| Uuid::parse_str(id).ok());
    if errors.is_empty() {
        Ok((changes, id))
    } else {
        Err(errors
            .0
            .into_iter()
            .map(|(field, problem)| ImportError {
                row: row.row,
                field: field.to_string(),
                code: problem.code.to_string(),
                message: problem.detail,
            })
            .collect())
    }
}

/// Finds the one contact a row refers to by id, phone or email (`None`: a new one);
/// two different contacts is an error naming the column that disagrees.
async fn target_of(
    txn: &DatabaseTransaction,
    scope: &Scope,
    id: Option<Uuid>,
    changes: &Changes,
) -> AppResult<Result<Option<contact::Model>, (&'static str, Uuid)>> {
    let mut found: Option<contact::Model> = match id {
        Some(id) => store::get(txn, scope, id).await?,
        None => None,
    };
    let by_phone = match &changes.phone {
        Some(Some(phone)) => store::find_by_phone(txn, scope, phone.as_str()).await?,
        _ => None,
    };
    let by_email = match &changes.email {
        Some(Some(email)) => store::find_by_email(txn, scope, email).await?,
        _ => None,
    };
    for (field, candidate) in [("phone", by_phone), ("email", by_email)] {
        let Some(candidate) = candidate else { continue };
        match &found {
            Some(existing) if existing.id != candidate.id => return Ok(Err((field, candidate.id))),
            Some(_) => {}
            None => found = Some(candidate),
        }
    }
    Ok(Ok(found))
}

/// Imports contacts from CSV (managers and admins): rows matching an existing
/// contact by id, phone or email update it, others create one; bad rows are reported
/// and skipped. Each row is its own savepoint, so one failure never undoes others.
#[tracing::instrument(skip_all, fields(tenant_id = %scope.tenant_id), err(level = "debug"))]
pub async fn import_csv(state: &AppState, scope: &Scope, body: &[u8]) -> AppResult<ImportReport> {
    scope.require(Role::Manager)?;
    let rows = csv_io::parse(body).map_err(|message| AppError::field("file", message))?;
    let tz: Tz = crate::settings::load(&state.db, scope).await?.timezone.parse().unwrap_or(Tz::UTC);
    let mut report = ImportReport::default();
    let mut errors: Vec<ImportError> = Vec::new();
    for chunk in rows.chunks(IMPORT_CHUNK) {
        let txn = crate::db::begin_write(&state.db).await?;
        for row in chunk {
            let (changes, id) = match row_changes(row, tz) {
                Ok(parsed) => parsed,
                Err(row_errors) => {
                    report.failed += 1;
                    errors.extend(row_errors);
                    continue;
                }
            };
            let savepoint = txn.begin().await?;
            let outcome = match target_of(&savepoint, scope, id, &changes).await? {
                Err((field, other)) => Err(ImportError {
                    row: row.row,
                    field: field.to_string(),
                    code: "other_contact".to_string(),
                    message: format!("belongs to another contact ({other}) than the rest of the row"),
                }),
                Ok(None) => save(&savepoint, scope, None, changes).await.map(|_| true).map_err(|e| row_error(row, e)),
                Ok(Some(current)) => {
                    let changes = Changes { first_seen_at: None, last_activity_at: None, ..changes };
                    save(&savepoint, scope, Some(current), changes).await.map(|_| false).map_err(|e| row_error(row, e))
                }
            };
            match outcome {
                Ok(created) => {
                    savepoint.commit().await?;
                    if created {
                        report.created += 1;
                    } else {
                        report.updated += 1;
                    }
                }
                Err(error) => {
                    savepoint.rollback().await?;
                    report.failed += 1;
                    errors.push(error);
                }
            }
        }
        txn.commit().await?;
    }
    errors.truncate(MAX_IMPORT_ERRORS);
    report.errors = errors;
    audit::record(
        &state.db,
        scope,
        Entry::new("contact.imported", "tenant", scope.tenant_id).details(json!({
            "created": report.created, "updated": report.updated, "failed": report.failed,
        })),
    )
    .await?;
    Ok(report)
}

/// An error saving a row, in report form.
fn row_error(row: &RawRow, error: AppError) -> ImportError {
    let (field, code, message) = match &error {
        AppError::Conflict { details, message, .. } => {
            (details["field"].as_str().unwrap_or("phone").to_string(), "contact_exists", message.clone())
        }
        AppError::Validation { details, message } => {
            let field = details.as_object().and_then(|d| d.keys().next().cloned()).unwrap_or_else(|| "row".into());
            // The report names CSV columns, which are snake_case; the only rule `save`
            // checks itself is the attributes' size.
            let (field, code) = if field == "customAttributes" {
                ("custom_attributes".to_string(), "too_large")
            } else {
                (field, "invalid")
            };
            (field, code, message.clone())
        }
        other => {
            tracing::warn!(error = ?other, row = row.row, "import row failed");
            ("row".to_string(), "save_failed", "could not be saved".to_string())
        }
    };
    ImportError { row: row.row, field, code: code.to_string(), message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_rows_report_every_bad_column_with_its_code() {
        let row = RawRow {
            row: 7,
            name: Some(" ".into()),
            email: Some("nope".into()),
            phone: Some("abc".into()),
            lead_status: Some("vip".into()),
            custom_attributes: Some("[1]".into()),
            first_seen_at: Some("ontem".into()),
            ..RawRow::default()
        };
        let errors = row_changes(&row, Tz::UTC).err().unwrap();
        let found: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect();
        assert_eq!(
            found,
            [
                ("name", "blank"),
                ("email", "invalid_email"),
                ("phone", "invalid_phone_characters"),
                ("lead_status", "invalid_lead_status"),
                ("custom_attributes", "not_an_object"),
                ("first_seen_at", "invalid_time"),
            ]
        );
        assert!(errors.iter().all(|e| e.row == 7));
        let broken =
            RawRow { row: 8, name: Some("Ana".into()), custom_attributes: Some("{".into()), ..RawRow::default() };
        assert_eq!(row_changes(&broken, Tz::UTC).err().unwrap()[0].code, "invalid_json");
    }
}
