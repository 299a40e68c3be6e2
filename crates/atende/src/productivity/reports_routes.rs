//! `/api/v1/reports/*`: JSON, or CSV with `?format=csv` or `Accept: text/csv` (every
//! filtered row, no paging). Admins see everyone, managers the agents of the teams
//! they supervise, agents themselves; an id outside that is 404.

use axum::{
    extract::State,
    http::{HeaderMap, HeaderValue, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::{reports, reports_csv::CsvReport, reports_model::*, spreadsheet::Dialect};
use crate::{
    error::{AppError, AppResult},
    http::{Path, Query},
    state::AppState,
    tenancy::Scope,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(report_kpis))
        .routes(routes!(report_productivity))
        .routes(routes!(report_work_logs))
        .routes(routes!(report_idle))
        .routes(routes!(report_categories))
        .routes(routes!(report_agent))
        .routes(routes!(report_conversations))
}

fn wants_csv(query: &ReportQuery, headers: &HeaderMap) -> AppResult<bool> {
    match query.format.as_deref() {
        Some("csv") => Ok(true),
        Some("json") => Ok(false),
        Some(other) => Err(AppError::BadRequest {
            code: "invalid_query",
            message: format!("format: `{other}` is neither json nor csv"),
            details: serde_json::Value::Null,
        }),
        None => Ok(headers
            .get(header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|accept| accept.contains("text/csv"))),
    }
}

fn csv_response<R: CsvReport>(report: &R, body: Vec<u8>) -> Response {
    let period = report.period();
    let filename = format!("{}-{}-{}.csv", R::NAME, period.first_day, period.last_day);
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8")),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}

/// The report as JSON, or as CSV when the query or `Accept` asks for it (every
/// filtered row: `load` is told so it skips paging).
async fn answer<R, F>(query: &ReportQuery, headers: &HeaderMap, load: impl FnOnce(bool) -> F) -> AppResult<Response>
where
    R: CsvReport + Serialize,
    F: Future<Output = AppResult<(R, Dialect)>>,
{
    let csv = wants_csv(query, headers)?;
    let (report, dialect) = load(csv).await?;
    if csv {
        let body = report.csv(dialect)?;
        return Ok(csv_response(&report, body));
    }
    Ok(axum::Json(report).into_response())
}

/// KPI cards: agents online / idle now, and the period's figures (conversations
/// handled, resolved, FRT, AHT, FCR…) with the previous period of the same length.
#[utoipa::path(get, path = "/reports/kpis", tag = "reports", params(ReportQuery),
    responses((status = 200, body = KpiReport), (status = 400), (status = 404)))]
pub async fn report_kpis(
    State(state): State<AppState>,
    scope: Scope,
    Query(query): Query<ReportQuery>,
) -> AppResult<axum::Json<KpiReport>> {
    Ok(axum::Json(reports::kpis(&state, &scope, &query).await?))
}

/// Productivity per agent, team, channel, category or day (`groupBy`).
#[utoipa::path(get, path = "/reports/productivity", tag = "reports", params(ReportQuery),
    responses((status = 200, description = "JSON, or CSV (UTF-8 with BOM)", content((ProductivityReport = "application/json"), (String = "text/csv"))),
        (status = 400), (status = 404)))]
pub async fn report_productivity(
    State(state): State<AppState>,
    scope: Scope,
    headers: HeaderMap,
    Query(query): Query<ReportQuery>,
) -> AppResult<Response> {
    answer(&query, &headers, |csv| reports::productivity(&state, &scope, &query, csv)).await
}

/// Work sessions begun in the period: login, logout, total, active, idle and the idle
/// periods.
#[utoipa::path(get, path = "/reports/work-logs", tag = "reports", params(ReportQuery),
    responses((status = 200, description = "JSON, or CSV (UTF-8 with BOM)", content((WorkLogReport = "application/json"), (String = "text/csv"))),
        (status = 400), (status = 404)))]
pub async fn report_work_logs(
    State(state): State<AppState>,
    scope: Scope,
    headers: HeaderMap,
    Query(query): Query<ReportQuery>,
) -> AppResult<Response> {
    answer(&query, &headers, |csv| reports::work_logs(&state, &scope, &query, csv)).await
}

/// Idle analysis per agent.
#[utoipa::path(get, path = "/reports/idle", tag = "reports", params(ReportQuery),
    responses((status = 200, description = "JSON, or CSV (UTF-8 with BOM)", content((IdleReport = "application/json"), (String = "text/csv"))),
        (status = 400), (status = 404)))]
pub async fn report_idle(
    State(state): State<AppState>,
    scope: Scope,
    headers: HeaderMap,
    Query(query): Query<ReportQuery>,
) -> AppResult<Response> {
    answer(&query, &headers, |csv| reports::idle(&state, &scope, &query, csv)).await
}

/// Conversations per category.
#[utoipa::path(get, path = "/reports/categories", tag = "reports", params(ReportQuery),
    responses((status = 200, description = "JSON, or CSV (UTF-8 with BOM)", content((CategoryReport = "application/json"), (String = "text/csv"))),
        (status = 400), (status = 404)))]
pub async fn report_categories(
    State(state): State<AppState>,
    scope: Scope,
    headers: HeaderMap,
    Query(query): Query<ReportQuery>,
) -> AppResult<Response> {
    answer(&query, &headers, |csv| reports::categories_report(&state, &scope, &query, csv)).await
}

/// One agent's figures and their days (agents: only themselves).
#[utoipa::path(get, path = "/reports/agents/{id}", tag = "reports", params(("id" = Uuid, Path), ReportQuery),
    responses((status = 200, description = "JSON, or CSV (UTF-8 with BOM)", content((AgentReport = "application/json"), (String = "text/csv"))),
        (status = 400), (status = 404)))]
pub async fn report_agent(
    State(state): State<AppState>,
    scope: Scope,
    headers: HeaderMap,
    Path(id): Path<Uuid>,
    Query(query): Query<ReportQuery>,
) -> AppResult<Response> {
    answer(&query, &headers, |_| reports::agent(&state, &scope, id, &query)).await
}

/// One row per conversation cycle with its metrics (the per-conversation export).
#[utoipa::path(get, path = "/reports/conversations", tag = "reports", params(ReportQuery),
    responses((status = 200, description = "JSON, or CSV (UTF-8 with BOM)", content((ConversationReport = "application/json"), (String = "text/csv"))),
        (status = 400), (status = 404)))]
pub async fn report_conversations(
    State(state): State<AppState>,
    scope: Scope,
    headers: HeaderMap,
    Query(query): Query<ReportQuery>,
) -> AppResult<Response> {
    answer(&query, &headers, |csv| reports::conversations(&state, &scope, &query, csv)).await
}
