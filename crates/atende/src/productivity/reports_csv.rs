//! The reports as spreadsheets (`spreadsheet`: BOM, the locale's separator, formulas
//! neutralised): exactly the filtered rows, times in the tenant's time zone.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{
    metrics::Metrics,
    reports_model::*,
    spreadsheet::{self, Cell, Dialect},
};
use crate::error::{AppError, AppResult};

/// A report that can be downloaded as CSV.
pub trait CsvReport {
    /// The first part of the file name.
    const NAME: &'static str;
    fn period(&self) -> &Period;
    fn csv(&self, dialect: Dialect) -> AppResult<Vec<u8>>;
}

macro_rules! csv_report {
    ($report:ty, $name:literal, $write:expr) => {
        impl CsvReport for $report {
            const NAME: &'static str = $name;
            fn period(&self) -> &Period {
                &self.period
            }
            fn csv(&self, dialect: Dialect) -> AppResult<Vec<u8>> {
                $write(self, dialect, zone(&self.period.time_zone))
            }
        }
    };
}

csv_report!(ProductivityReport, "productivity", |r, d, _| productivity_csv(r, d));
csv_report!(AgentReport, "agent", |r, d, _| agent_csv(r, d));
csv_report!(WorkLogReport, "work-logs", work_logs_csv);
csv_report!(IdleReport, "idle", |r, d, _| idle_csv(r, d));
csv_report!(CategoryReport, "categories", |r, d, _| categories_csv(r, d));
csv_report!(ConversationReport, "conversations", conversations_csv);

fn time(t: Option<DateTime<Utc>>, tz: Tz) -> Cell {
    t.map_or(Cell::Empty, |t| Cell::Text(t.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S").to_string()))
}

fn metric_cells(m: &Metrics) -> Vec<Cell> {
    let n = |v: u64| Cell::Int(i64::try_from(v).unwrap_or(i64::MAX));
    vec![
        n(m.conversations_handled),
        n(m.resolved),
        n(m.replies),
        n(m.reopened),
        n(m.charges),
        Cell::Num(m.frt_seconds),
        Cell::Num(m.resolution_seconds),
        Cell::Num(m.aht_seconds),
        Cell::Num(m.fcr_rate),
        n(m.sessions),
        Cell::Int(m.logged_seconds),
        Cell::Int(m.active_seconds),
        Cell::Int(m.idle_seconds),
    ]
}

const METRIC_HEADER: [&str; 13] = [
    "conversationsHandled",
    "resolved",
    "replies",
    "reopened",
    "charges",
    "frtSeconds",
    "resolutionSeconds",
    "ahtSeconds",
    "fcrRate",
    "sessions",
    "loggedSeconds",
    "activeSeconds",
    "idleSeconds",
];

fn file(dialect: Dialect, header: &[&str], rows: &[Vec<Cell>]) -> AppResult<Vec<u8>> {
    spreadsheet::write(dialect, header, rows).map_err(|e| AppError::Internal(e.into()))
}

/// The productivity rows as CSV.
pub fn productivity_csv(report: &ProductivityReport, dialect: Dialect) -> AppResult<Vec<u8>> {
    let header: Vec<&str> = ["key", "label"].into_iter().chain(METRIC_HEADER).collect();
    let rows: Vec<Vec<Cell>> = report
        .rows
        .iter()
        .map(|r| {
            [Cell::Text(r.key.clone()), Cell::Text(r.label.clone())]
                .into_iter()
                .chain(metric_cells(&r.metrics))
                .collect()
        })
        .collect();
    file(dialect, &header, &rows)
}

/// The agent's days as CSV.
pub fn agent_csv(report: &AgentReport, dialect: Dialect) -> AppResult<Vec<u8>> {
    let header: Vec<&str> = ["day"].into_iter().chain(METRIC_HEADER).collect();
    let rows: Vec<Vec<Cell>> = report
        .days
        .iter()
        .map(|r| std::iter::once(Cell::Text(r.key.clone())).chain(metric_cells(&r.metrics)).collect())
        .collect();
    file(dialect, &header, &rows)
}

/// The work logs as CSV (idle periods as `start–end` ranges in one cell).
pub fn work_logs_csv(report: &WorkLogReport, dialect: Dialect, tz: Tz) -> AppResult<Vec<u8>> {
    let header =
        ["agentName", "day", "loginAt", "logoutAt", "totalSeconds", "activeSeconds", "idleSeconds", "idlePeriods"];
    let rows: Vec<Vec<Cell>> = report
        .rows
        .iter()
        .map(|r| {
            let periods = r
                .idle_periods
                .iter()
                .map(|p| {
                    let f = |t: DateTime<Utc>| t.with_timezone(&tz).format("%H:%M:%S").to_string();
                    format!("{}–{} ({}s)", f(p.started_at), p.ended_at.map(f).unwrap_or_default(), p.seconds)
                })
                .collect::<Vec<_>>()
                .join(" | ");
            vec![
                Cell::Text(r.agent_name.clone()),
                Cell::Text(r.day.to_string()),
                time(Some(r.login_at), tz),
                time(r.logout_at, tz),
                Cell::Int(r.total_seconds),
                Cell::Int(r.active_seconds),
                Cell::Int(r.idle_seconds),
                Cell::Text(periods),
            ]
        })
        .collect();
    file(dialect, &header, &rows)
}

/// The idle analysis as CSV.
pub fn idle_csv(report: &IdleReport, dialect: Dialect) -> AppResult<Vec<u8>> {
    let header = [
        "agentName",
        "sessions",
        "loggedSeconds",
        "activeSeconds",
        "idleSeconds",
        "idlePeriods",
        "longestIdleSeconds",
        "idleShare",
    ];
    let rows: Vec<Vec<Cell>> = report
        .rows
        .iter()
        .map(|r| {
            vec![
                Cell::Text(r.agent_name.clone()),
                Cell::Int(r.sessions as i64),
                Cell::Int(r.logged_seconds),
                Cell::Int(r.active_seconds),
                Cell::Int(r.idle_seconds),
                Cell::Int(r.idle_periods as i64),
                Cell::Int(r.longest_idle_seconds),
                Cell::Num(r.idle_share),
            ]
        })
        .collect();
    file(dialect, &header, &rows)
}

/// The categories as CSV.
pub fn categories_csv(report: &CategoryReport, dialect: Dialect) -> AppResult<Vec<u8>> {
    let header = ["category", "conversations", "resolved", "share"];
    let rows: Vec<Vec<Cell>> = report
        .rows
        .iter()
        .map(|r| {
            vec![
                Cell::Text(r.path.clone()),
                Cell::Int(r.conversations as i64),
                Cell::Int(r.resolved as i64),
                Cell::Num(Some(r.share)),
            ]
        })
        .collect();
    file(dialect, &header, &rows)
}

/// The per-conversation export as CSV.
pub fn conversations_csv(report: &ConversationReport, dialect: Dialect, tz: Tz) -> AppResult<Vec<u8>> {
    let header = [
        "conversationId",
        "cycle",
        "channel",
        "agentName",
        "openedAt",
        "firstInboundAt",
        "firstReplyAt",
        "resolvedAt",
        "frtSeconds",
        "resolutionSeconds",
        "handlingSeconds",
        "firstContactResolution",
        "categories",
    ];
    let opt = |v: Option<i64>| v.map_or(Cell::Empty, Cell::Int);
    let rows: Vec<Vec<Cell>> = report
        .rows
        .iter()
        .map(|r| {
            vec![
                Cell::Text(r.conversation_id.to_string()),
                Cell::Int(i64::from(r.cycle)),
                Cell::Text(r.channel.clone()),
                r.agent_name.clone().map_or(Cell::Empty, Cell::Text),
                time(Some(r.opened_at), tz),
                time(r.first_inbound_at, tz),
                time(r.first_reply_at, tz),
                time(r.resolved_at, tz),
                opt(r.frt_seconds),
                opt(r.resolution_seconds),
                opt(r.handling_seconds),
                r.first_contact_resolution.map_or(Cell::Empty, |b| Cell::Int(i64::from(b))),
                Cell::Text(r.categories.join(" | ")),
            ]
        })
        .collect();
    file(dialect, &header, &rows)
}

/// The tenant's time zone for CSV times.
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(Tz::UTC)
}
