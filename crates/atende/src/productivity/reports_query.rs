//! A report's filters: who may see what (admins everything, managers the agents of the
//! teams they supervise, agents themselves), the period in the tenant's time zone
//! (presets or from/to), sorting and paging of rows.

use std::collections::HashSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use uuid::Uuid;

use super::{board, categories, metrics, metrics::GroupBy, reports_model::*, store};
use crate::{
    error::{AppError, AppResult},
    state::AppState,
    tenancy::{Role, Scope},
};

/// The longest period a report covers.
const MAX_DAYS: i64 = 366;

/// A report's resolved filters.
pub struct Context {
    pub period: Period,
    pub tz: Tz,
    pub locale: String,
    pub fcr_window: Duration,
    /// `None`: every agent (admins without an agent or team filter).
    pub agents: Option<HashSet<Uuid>>,
    pub channels: Option<HashSet<Uuid>>,
    pub categories: Option<HashSet<Uuid>>,
}

fn invalid(message: impl Into<String>) -> AppError {
    AppError::BadRequest { code: "invalid_query", message: message.into(), details: serde_json::Value::Null }
}

fn ids(value: Option<&str>, field: &str) -> AppResult<Option<HashSet<Uuid>>> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    value
        .split(',')
        .map(|id| id.trim().parse::<Uuid>().map_err(|_| invalid(format!("{field}: `{id}` is not an id"))))
        .collect::<AppResult<HashSet<Uuid>>>()
        .map(Some)
}

/// The first instant of a day in `tz`.
fn start_of(tz: Tz, day: NaiveDate) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    match tz.from_local_datetime(&midnight) {
        chrono::LocalResult::Single(t) | chrono::LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
        // A day that starts in a DST gap starts an hour later.
        chrono::LocalResult::None => tz
            .from_local_datetime(&(midnight + Duration::hours(1)))
            .earliest()
            .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&Utc)),
    }
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The days a query asks for, given today in the tenant's time zone.
pub fn days(query: &ReportQuery, today: NaiveDate) -> AppResult<(NaiveDate, NaiveDate)> {
    let parse = |v: &str, field: &str| {
        NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d").map_err(|_| invalid(format!("{field}: use YYYY-MM-DD")))
    };
    let (first, last) = match (query.preset.as_deref(), query.from.as_deref(), query.to.as_deref()) {
        (Some(preset), None, None) => match preset {
            "today" => (today, today),
            "yesterday" => (today - Duration::days(1), today - Duration::days(1)),
            "last_7_days" => (today - Duration::days(6), today),
            "this_month" => (first_of_month(today), today),
            "last_month" => {
                let end = first_of_month(today) - Duration::days(1);
                (first_of_month(end), end)
            }
            other => return Err(invalid(format!("preset: `{other}` is not a preset"))),
        },
        (Some(_), _, _) => return Err(invalid("give a preset or from/to, not both")),
        (None, None, None) => (today - Duration::days(6), today),
        (None, from, to) => {
            let last = to.map(|v| parse(v, "to")).transpose()?.unwrap_or(today);
            let first = from.map(|v| parse(v, "from")).transpose()?.unwrap_or(last - Duration::days(6));
            (first, last)
        }
    };
    if first > last {
        return Err(invalid("from must not be after to"));
    }
    if (last - first).num_days() >= MAX_DAYS {
        return Err(invalid(format!("a report covers at most {MAX_DAYS} days")));
    }
    Ok((first, last))
}

/// The period of `[first, last]` in `tz`.
pub fn period(tz: Tz, first: NaiveDate, last: NaiveDate) -> Period {
    Period {
        from: start_of(tz, first),
        to: start_of(tz, last + Duration::days(1)),
        first_day: first,
        last_day: last,
        time_zone: tz.name().to_string(),
    }
}

/// Resolves the filters against the caller's scope: ids the caller may not see are 404.
pub async fn context(state: &AppState, scope: &Scope, query: &ReportQuery) -> AppResult<Context> {
    let settings = crate::settings::load(&state.db, scope).await?;
    let tz: Tz = settings.timezone.parse().unwrap_or(Tz::UTC);
    let today = metrics::local_day(tz, state.now());
    let (first, last) = days(query, today)?;
    let visible: Option<HashSet<Uuid>> = board::supervised_ids(state, scope).await?.map(|v| v.into_iter().collect());
    let mut agents = visible.clone();
    if let Some(wanted) = ids(query.agent_ids.as_deref(), "agentIds")? {
        for id in &wanted {
            let known = store::person(&state.db, scope, *id).await?.is_some();
            if !known || visible.as_ref().is_some_and(|v| !v.contains(id)) {
                return Err(AppError::NotFound);
            }
        }
        agents = Some(wanted);
    }
    if let Some(teams) = ids(query.team_ids.as_deref(), "teamIds")? {
        for team in &teams {
            let allowed = match scope.role {
                Role::Admin => true,
                Role::Manager => scope.supervised_team_ids.contains(team),
                Role::Agent => scope.team_ids.contains(team),
            };
            if !allowed || !store::team_exists(&state.db, scope, *team).await? {
                return Err(AppError::NotFound);
            }
        }
        let list: Vec<Uuid> = teams.into_iter().collect();
        let members: HashSet<Uuid> =
            store::memberships(&state.db, scope, Some(&list)).await?.into_iter().map(|m| m.user_id).collect();
        agents = Some(match agents {
            Some(current) => current.intersection(&members).copied().collect(),
            None => members,
        });
    }
    let categories = ids(query.category_ids.as_deref(), "categoryIds")?;
    if let Some(wanted) = &categories {
        let known = categories::names(state, scope).await?;
        if wanted.iter().any(|id| !known.contains_key(id)) {
            return Err(AppError::NotFound);
        }
    }
    Ok(Context {
        period: period(tz, first, last),
        tz,
        locale: settings.locale,
        fcr_window: Duration::days(i64::from(settings.fcr_window_days)),
        agents,
        channels: ids(query.channel_ids.as_deref(), "channelIds")?,
        categories,
    })
}

/// Sorts rows by one of their JSON fields (numbers numerically, text case-blind).
pub fn sort_rows<T: Serialize>(rows: &mut Vec<T>, field: Option<&str>, order: Option<&str>) -> AppResult<()> {
    let Some(field) = field else { return Ok(()) };
    let desc = match order {
        None | Some("desc") => true,
        Some("asc") => false,
        Some(other) => return Err(invalid(format!("order: `{other}` is neither asc nor desc"))),
    };
    let mut keyed: Vec<(serde_json::Value, T)> = rows
        .drain(..)
        .map(|r| (serde_json::to_value(&r).map(|v| v.get(field).cloned().unwrap_or_default()).unwrap_or_default(), r))
        .collect();
    if keyed.first().is_some_and(|(v, _)| v.is_null()) && keyed.iter().all(|(v, _)| v.is_null()) && !keyed.is_empty() {
        // Either the column is empty throughout or it does not exist: check the name.
        let probe = serde_json::to_value(&keyed[0].1).unwrap_or_default();
        if probe.get(field).is_none() {
            rows.extend(keyed.into_iter().map(|(_, r)| r));
            return Err(invalid(format!("sort: `{field}` is not a column")));
        }
    }
    let rank = |v: &serde_json::Value| -> (u8, f64, String) {
        match v {
            serde_json::Value::Null => (0, 0.0, String::new()),
            serde_json::Value::Number(n) => (1, n.as_f64().unwrap_or_default(), String::new()),
            serde_json::Value::Bool(b) => (1, f64::from(u8::from(*b)), String::new()),
            other => (2, 0.0, other.as_str().map(str::to_lowercase).unwrap_or_else(|| other.to_string())),
        }
    };
    keyed.sort_by(|(a, _), (b, _)| {
        let (a, b) = (rank(a), rank(b));
        let ord = a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(&b.2));
        if desc { ord.reverse() } else { ord }
    });
    rows.extend(keyed.into_iter().map(|(_, r)| r));
    Ok(())
}

/// One page of rows (`None` limit: all, for CSV).
pub fn page<T>(rows: Vec<T>, query: &ReportQuery, all: bool) -> Vec<T> {
    if all {
        return rows;
    }
    let (limit, offset) = crate::http::paging(query.limit, query.offset);
    rows.into_iter().skip(offset as usize).take(limit as usize).collect()
}

pub fn group_by(query: &ReportQuery) -> AppResult<GroupBy> {
    match query.group_by.as_deref() {
        None => Ok(GroupBy::Agent),
        Some(g) => GroupBy::parse(g).ok_or_else(|| invalid(format!("groupBy: `{g}` is not a grouping"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(preset: Option<&str>, from: Option<&str>, to: Option<&str>) -> ReportQuery {
        ReportQuery {
            preset: preset.map(str::to_string),
            from: from.map(str::to_string),
            to: to.map(str::to_string),
            ..Default::default()
        }
    }

    #[test]
    fn presets_name_the_days_of_the_tenant_calendar() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(days(&q(Some("today"), None, None), today).unwrap(), (today, today));
        assert_eq!(days(&q(Some("yesterday"), None, None), today).unwrap(), (d(2026, 3, 9), d(2026, 3, 9)));
        assert_eq!(days(&q(Some("last_7_days"), None, None), today).unwrap(), (d(2026, 3, 4), today));
        assert_eq!(days(&q(Some("this_month"), None, None), today).unwrap(), (d(2026, 3, 1), today));
        assert_eq!(days(&q(Some("last_month"), None, None), today).unwrap(), (d(2026, 2, 1), d(2026, 2, 28)));
        assert_eq!(
            days(&q(None, Some("2026-01-02"), Some("2026-01-05")), today).unwrap(),
            (d(2026, 1, 2), d(2026, 1, 5))
        );
        assert!(days(&q(Some("someday"), None, None), today).is_err());
        assert!(days(&q(None, Some("2026-01-05"), Some("2026-01-02")), today).is_err());
        assert!(days(&q(None, Some("05/01/2026"), None), today).is_err());
        assert!(days(&q(None, Some("2024-01-01"), Some("2026-01-01")), today).is_err());
    }

    #[test]
    fn a_period_runs_from_local_midnight_to_local_midnight() {
        let tz: Tz = "America/Sao_Paulo".parse().unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let p = period(tz, day, day);
        assert_eq!(p.from.to_rfc3339(), "2026-03-10T03:00:00+00:00");
        assert_eq!(p.to.to_rfc3339(), "2026-03-11T03:00:00+00:00");
    }

    #[test]
    fn rows_sort_by_any_column_and_unknown_columns_are_refused() {
        #[derive(Serialize)]
        struct R {
            a: i64,
            b: String,
        }
        let mut rows = vec![R { a: 2, b: "x".into() }, R { a: 10, b: "Y".into() }, R { a: 1, b: "z".into() }];
        sort_rows(&mut rows, Some("a"), Some("desc")).unwrap();
        assert_eq!(rows.iter().map(|r| r.a).collect::<Vec<_>>(), vec![10, 2, 1]);
        sort_rows(&mut rows, Some("b"), Some("asc")).unwrap();
        assert_eq!(rows.iter().map(|r| r.b.as_str()).collect::<Vec<_>>(), vec!["x", "Y", "z"]);
        assert!(sort_rows(&mut rows, Some("nope"), None).is_err());
        assert_eq!(rows.len(), 3);
    }
}
