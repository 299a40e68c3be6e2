//! API shapes of `/api/v1/reports/*`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{metrics::Metrics, model::IdlePeriodView};

/// Filters shared by every report. The period is `preset`, or `from`/`to` (days in
/// the tenant's time zone, `to` included); the last 7 days when neither is given.
/// Id lists are comma-separated.
#[derive(Debug, Default, Clone, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `today`, `yesterday`, `last_7_days`, `this_month` or `last_month`.
    pub preset: Option<String>,
    /// First day, `YYYY-MM-DD`.
    pub from: Option<String>,
    /// Last day (included), `YYYY-MM-DD`.
    pub to: Option<String>,
    pub agent_ids: Option<String>,
    pub team_ids: Option<String>,
    pub channel_ids: Option<String>,
    pub category_ids: Option<String>,
    /// Productivity rows per `agent` (default), `team`, `channel`, `category`, `day` or `total`.
    pub group_by: Option<String>,
    /// A column of the rows (e.g. `resolved`, `frtSeconds`, `label`).
    pub sort: Option<String>,
    /// `asc` or `desc` (default).
    pub order: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
    /// `csv` for a spreadsheet (or send `Accept: text/csv`).
    pub format: Option<String>,
}

/// The period a report covers: `[from, to)`, and its days.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Period {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    pub time_zone: String,
}

/// KPI cards: live presence and the period's figures against the previous period of
/// the same length.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct KpiReport {
    pub period: Period,
    pub agents_online: u64,
    pub agents_idle: u64,
    pub current: Metrics,
    pub previous: Metrics,
}

/// One row of the productivity report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductivityRow {
    /// The agent, team, channel or category id, the day (`YYYY-MM-DD`) or `total`.
    pub key: String,
    pub label: String,
    #[serde(flatten)]
    pub metrics: Metrics,
}

/// `{period, groupBy, rows, total, totals}`: `total` counts rows before paging.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProductivityReport {
    pub period: Period,
    pub group_by: String,
    pub rows: Vec<ProductivityRow>,
    pub total: u64,
    pub totals: Metrics,
}

/// One work session of the work-log report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkLogRow {
    pub session_id: Uuid,
    pub agent_id: Uuid,
    pub agent_name: String,
    /// The login's day in the tenant's time zone.
    pub day: NaiveDate,
    pub login_at: DateTime<Utc>,
    pub logout_at: Option<DateTime<Utc>>,
    pub total_seconds: i64,
    pub active_seconds: i64,
    pub idle_seconds: i64,
    pub idle_periods: Vec<IdlePeriodView>,
}

/// `{period, rows, total}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkLogReport {
    pub period: Period,
    pub rows: Vec<WorkLogRow>,
    pub total: u64,
}

/// Idle time of one agent over the period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IdleRow {
    pub agent_id: Uuid,
    pub agent_name: String,
    pub sessions: u64,
    pub logged_seconds: i64,
    pub active_seconds: i64,
    pub idle_seconds: i64,
    pub idle_periods: u64,
    pub longest_idle_seconds: i64,
    /// `idleSeconds / loggedSeconds` (0–1).
    pub idle_share: Option<f64>,
}

/// `{period, rows, total}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IdleReport {
    pub period: Period,
    pub rows: Vec<IdleRow>,
    pub total: u64,
}

/// Conversations of one category over the period.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CategoryRow {
    pub category_id: Uuid,
    pub path: String,
    /// Conversations with activity in the period tagged with it.
    pub conversations: u64,
    pub resolved: u64,
    /// Share of the categorised conversations (0–1).
    pub share: f64,
}

/// `{period, rows, total, uncategorized}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CategoryReport {
    pub period: Period,
    pub rows: Vec<CategoryRow>,
    pub total: u64,
    /// Conversations with activity in the period and no category.
    pub uncategorized: u64,
}

/// One agent's figures and their days.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentReport {
    pub period: Period,
    pub agent_id: Uuid,
    pub agent_name: String,
    pub metrics: Metrics,
    pub days: Vec<ProductivityRow>,
}

/// One conversation cycle (opening or reopening → resolution) with its metrics.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConversationRow {
    pub conversation_id: Uuid,
    pub cycle: i32,
    pub channel: String,
    pub agent_name: Option<String>,
    pub opened_at: DateTime<Utc>,
    pub first_inbound_at: Option<DateTime<Utc>>,
    pub first_reply_at: Option<DateTime<Utc>>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub frt_seconds: Option<i64>,
    pub resolution_seconds: Option<i64>,
    pub handling_seconds: Option<i64>,
    /// Resolved and not followed within the window.
    pub first_contact_resolution: Option<bool>,
    pub categories: Vec<String>,
}

/// `{period, rows, total}`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConversationReport {
    pub period: Period,
    pub rows: Vec<ConversationRow>,
    pub total: u64,
}
