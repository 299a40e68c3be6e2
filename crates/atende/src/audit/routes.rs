//! `/api/v1/audit-log`: the audit log of the workspace, for its admins.

use std::collections::HashMap;

use axum::{extract::State, http::header, response::IntoResponse};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::{
    Entry, entity,
    model::{AuditActor, AuditEntryView, AuditList, ListAudit},
    store::{self, Filter},
};
use crate::{
    error::{AppError, AppResult},
    http::{
        Query,
        csv::{export_writer, guard},
        paging,
    },
    state::AppState,
    tenancy::{Role, Scope},
    users::entity as user,
};

/// Rows in one CSV download at most (narrow the period for more).
pub const CSV_MAX_ROWS: u64 = 50_000;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_audit)).routes(routes!(export_audit))
}

/// Sensitive actions in the workspace, newest first (admins). Filters: `actorId`,
/// `action` (exact, or `family.*`), `from` / `to` (RFC 3339 instants or UTC days);
/// `limit` (default 50, at most 200) and `offset`.
#[utoipa::path(get, path = "/audit-log", tag = "audit", params(ListAudit),
    responses((status = 200, body = AuditList), (status = 400, description = "invalid_query"),
        (status = 403), (status = 422, description = "validation_failed: a filter is malformed")))]
pub async fn list_audit(
    State(state): State<AppState>,
    scope: Scope,
    Query(query): Query<ListAudit>,
) -> AppResult<axum::Json<AuditList>> {
    scope.require(Role::Admin)?;
    let filter = filter_of(&query)?;
    let (limit, offset) = paging(query.limit, query.offset);
    let (rows, total) = store::list(&state.db, &scope, &filter, limit, offset).await?;
    let entries = views(&state, &scope, rows).await?;
    Ok(axum::Json(AuditList { entries, total }))
}

/// The same entries as CSV (admins; every cell quoted, formulas neutralised; at most
/// 50 000 rows, newest first). The download itself is recorded as `audit.exported`.
#[utoipa::path(get, path = "/audit-log.csv", tag = "audit",
    params(("actorId" = Option<Uuid>, Query), ("action" = Option<String>, Query),
        ("from" = Option<String>, Query), ("to" = Option<String>, Query)),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403), (status = 422)))]
pub async fn export_audit(
    State(state): State<AppState>,
    scope: Scope,
    Query(query): Query<ListAudit>,
) -> AppResult<impl IntoResponse> {
    scope.require(Role::Admin)?;
    let filter = filter_of(&query)?;
    let (rows, _) = store::list(&state.db, &scope, &filter, CSV_MAX_ROWS, 0).await?;
    let entries = views(&state, &scope, rows).await?;
    let csv = to_csv(&entries).map_err(|e| AppError::Internal(e.into()))?;
    super::record(
        &state.db,
        &scope,
        Entry::new("audit.exported", "tenant", scope.tenant_id).details(json!({ "entries": entries.len() })),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (header::CONTENT_DISPOSITION, "attachment; filename=\"audit-log.csv\""),
            (header::CACHE_CONTROL, "no-store"),
        ],
        csv,
    ))
}

/// Checks and converts the query's filters (422 naming the field on bad input).
fn filter_of(query: &ListAudit) -> AppResult<Filter> {
    let mut filter = Filter { actor_id: query.actor_id, ..Filter::default() };
    if let Some(action) = query.action.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        let (name, prefix) = match action.strip_suffix('*') {
            Some(family) => (family, true),
            None => (action, false),
        };
        let valid = !name.is_empty()
            && name.len() <= 64
            && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_');
        if !valid {
            return Err(AppError::field(
                "action",
                "must be an action such as user.created, or a family such as user.*",
            ));
        }
        filter.action = Some(name.to_string());
        filter.action_prefix = prefix;
    }
    filter.from = query.from.as_deref().map(|v| instant("from", v, false)).transpose()?;
    filter.to = query.to.as_deref().map(|v| instant("to", v, true)).transpose()?;
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from >= to
    {
        return Err(AppError::field("to", "must be after from"));
    }
    Ok(filter)
}

/// An RFC 3339 instant, or a UTC day: its start, or for an end bound the next day's start.
fn instant(field: &str, value: &str, end: bool) -> AppResult<DateTime<Utc>> {
    let value = value.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Ok(at.with_timezone(&Utc));
    }
    let day = NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| AppError::field(field, "must be a date (YYYY-MM-DD) or an RFC 3339 date-time"))?;
    let day = if end { day.succ_opt().ok_or_else(|| AppError::field(field, "is out of range"))? } else { day };
    Ok(day.and_hms_opt(0, 0, 0).expect("midnight exists").and_utc())
}

/// Entries with their actors' names (users of this tenant only).
async fn views(state: &AppState, scope: &Scope, rows: Vec<entity::Model>) -> AppResult<Vec<AuditEntryView>> {
    let mut ids: Vec<Uuid> = rows.iter().filter(|r| r.actor_kind == "user").filter_map(|r| r.actor_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let people: HashMap<Uuid, user::Model> = if ids.is_empty() {
        HashMap::new()
    } else {
        user::Entity::find()
            .filter(user::Column::TenantId.eq(scope.tenant_id))
            .filter(user::Column::Id.is_in(ids))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect()
    };
    Ok(rows
        .into_iter()
        .map(|row| {
            let person = (row.actor_kind == "user").then(|| row.actor_id.and_then(|id| people.get(&id))).flatten();
            AuditEntryView {
                id: row.id,
                action: row.action,
                actor: AuditActor {
                    kind: row.actor_kind,
                    id: row.actor_id,
                    name: person.map(|p| p.name.clone()),
                    email: person.map(|p| p.email.clone()),
                },
                target_type: row.target_type,
                target_id: row.target_id,
                details: row.details,
                ip: row.ip,
                created_at: row.created_at,
            }
        })
        .collect())
}

/// Columns of the CSV download.
pub const CSV_HEADER: [&str; 10] = [
    "created_at",
    "action",
    "actor_kind",
    "actor_id",
    "actor_name",
    "actor_email",
    "target_type",
    "target_id",
    "ip",
    "details",
];

fn to_csv(entries: &[AuditEntryView]) -> Result<Vec<u8>, csv::Error> {
    let mut writer = export_writer(b',');
    writer.write_record(CSV_HEADER)?;
    for e in entries {
        let opt = |v: Option<String>| v.unwrap_or_default();
        let cells = [
            e.created_at.to_rfc3339(),
            e.action.clone(),
            e.actor.kind.clone(),
            opt(e.actor.id.map(|id| id.to_string())),
            opt(e.actor.name.clone()),
            opt(e.actor.email.clone()),
            opt(e.target_type.clone()),
            opt(e.target_id.map(|id| id.to_string())),
            opt(e.ip.clone()),
            opt(e.details.as_ref().map(|d| d.to_string())),
        ];
        writer.write_record(cells.iter().map(|c| guard(c).into_owned()))?;
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_checked_and_days_cover_the_whole_day() {
        let q = |action: Option<&str>, from: Option<&str>, to: Option<&str>| ListAudit {
            action: action.map(Into::into),
            from: from.map(Into::into),
            to: to.map(Into::into),
            ..ListAudit::default()
        };
        let f = filter_of(&q(Some("user.*"), Some("2026-12-01"), Some("2026-12-01"))).unwrap();
        assert_eq!(f.action.as_deref(), Some("user."));
        assert!(f.action_prefix);
        assert_eq!(f.from.unwrap().to_rfc3339(), "2026-12-01T00:00:00+00:00");
        assert_eq!(f.to.unwrap().to_rfc3339(), "2026-12-02T00:00:00+00:00");
        let exact = filter_of(&q(Some("charge.cancelled"), Some("2026-12-01T10:00:00-03:00"), None)).unwrap();
        assert!(!exact.action_prefix);
        assert_eq!(exact.from.unwrap().to_rfc3339(), "2026-12-01T13:00:00+00:00");
        for bad in [q(Some("x%"), None, None), q(Some("*"), None, None), q(None, Some("yesterday"), None)] {
            assert!(matches!(filter_of(&bad), Err(AppError::Validation { .. })));
        }
        assert!(filter_of(&q(None, Some("2026-12-02"), Some("2026-12-01"))).is_err());
    }

    #[test]
    fn csv_cells_are_quoted_and_formulas_neutralised() {
        let entry = AuditEntryView {
            id: Uuid::nil(),
            action: "user.updated".into(),
            actor: AuditActor { kind: "user".into(), id: None, name: Some("=HYPERLINK(\"x\")".into()), email: None },
            target_type: None,
            target_id: None,
            details: None,
            ip: None,
            created_at: DateTime::from_timestamp(0, 0).unwrap(),
        };
        let text = String::from_utf8(to_csv(&[entry]).unwrap()).unwrap();
        assert!(text.starts_with("\u{feff}\"created_at\",\"action\""), "a BOM, then quoted cells: {text}");
        assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{text}");
    }
}
