//! The reports: who may see what (admins everything, managers the agents of the teams
//! they supervise, agents themselves), the filters, the period in the tenant's time
//! zone, and the rows, computed by `metrics` from the productivity tables only (facts,
//! productivity events, work sessions: never messages). Each report can also be
//! written as CSV (`spreadsheet`), with exactly the filtered rows.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use uuid::Uuid;

use super::{
    categories, facts_store,
    metrics::{self, GroupBy, Inputs, Key, Lookup, Metrics, SessionFact},
    model::{PresenceStatus, WorkSessionView},
    reports_model::*,
    service,
    spreadsheet::{self, Cell, Dialect},
    store,
};
use crate::{
    error::{AppError, AppResult},
    state::AppState,
    tenancy::{Role, Scope},
};

/// The longest period a report covers.
const MAX_DAYS: i64 = 366;
/// Work sessions read for one report at most.
const MAX_SESSIONS: u64 = 50_000;

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
    let visible: Option<HashSet<Uuid>> = service::supervised_ids(state, scope).await?.map(|v| v.into_iter().collect());
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

/// The rows a period's metrics are computed from.
struct Data {
    cycles: Vec<super::entity::conversation_fact::Model>,
    events: Vec<super::entity::productivity_event::Model>,
    sessions: Vec<SessionFact>,
    categories: HashMap<Uuid, Vec<Uuid>>,
    agent_teams: HashMap<Uuid, Vec<Uuid>>,
}

async fn load(
    state: &AppState,
    scope: &Scope,
    ctx: &Context,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> AppResult<Data> {
    let agents: Option<Vec<Uuid>> = ctx.agents.as_ref().map(|a| a.iter().copied().collect());
    let cycles = facts_store::cycles_between(&state.db, scope, from, to).await?;
    let events = facts_store::events_between(&state.db, scope, agents.as_deref(), from, to).await?;
    let sessions = service::session_views(state, scope, agents.as_deref(), Some(from), Some(to), MAX_SESSIONS)
        .await?
        .into_iter()
        .map(|s| SessionFact {
            agent_id: s.agent_id,
            login_at: s.login_at,
            total_seconds: s.total_seconds,
            active_seconds: s.active_seconds,
            idle_seconds: s.idle_seconds,
        })
        .collect();
    let mut conversations: Vec<Uuid> =
        cycles.iter().map(|c| c.conversation_id).chain(events.iter().filter_map(|e| e.conversation_id)).collect();
    conversations.sort();
    conversations.dedup();
    let categories = categories::by_conversation(&state.db, scope, &conversations).await?;
    let mut agent_teams: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for m in store::memberships(&state.db, scope, None).await? {
        agent_teams.entry(m.user_id).or_default().push(m.team_id);
    }
    Ok(Data { cycles, events, sessions, categories, agent_teams })
}

fn compute(
    ctx: &Context,
    data: &Data,
    group_by: GroupBy,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> BTreeMap<Key, Metrics> {
    let lookup = Lookup {
        tz: ctx.tz,
        group_by,
        categories: &data.categories,
        agent_teams: &data.agent_teams,
        fcr_window: ctx.fcr_window,
        agents: ctx.agents.as_ref(),
        channels: ctx.channels.as_ref(),
        category_filter: ctx.categories.as_ref(),
    };
    let inputs = Inputs { cycles: &data.cycles, events: &data.events, sessions: &data.sessions, from, to };
    metrics::compute(&inputs, &lookup)
}

fn total(groups: BTreeMap<Key, Metrics>) -> Metrics {
    groups.into_values().next().unwrap_or_default()
}

/// KPI cards for the period, with the previous period of the same length.
pub async fn kpis(state: &AppState, scope: &Scope, query: &ReportQuery) -> AppResult<KpiReport> {
    let ctx = context(state, scope, query).await?;
    let (from, to) = (ctx.period.from, ctx.period.to);
    let before = from - (to - from);
    let data = load(state, scope, &ctx, before, to).await?;
    let current = total(compute(&ctx, &data, GroupBy::Total, from, to));
    let previous = total(compute(&ctx, &data, GroupBy::Total, before, from));
    let (mut online, mut idle) = (0, 0);
    if scope.is_at_least(Role::Manager) {
        for p in service::board(state, scope, None).await? {
            if ctx.agents.as_ref().is_some_and(|a| !a.contains(&p.agent_id)) {
                continue;
            }
            match p.status {
                PresenceStatus::Active => online += 1,
                PresenceStatus::Idle => idle += 1,
                PresenceStatus::Offline => {}
            }
        }
    }
    Ok(KpiReport { period: ctx.period, agents_online: online, agents_idle: idle, current, previous })
}

/// Labels of agents, teams, channels and categories.
async fn labels(state: &AppState, scope: &Scope, group_by: GroupBy) -> AppResult<HashMap<Uuid, String>> {
    Ok(match group_by {
        GroupBy::Agent => store::user_names(&state.db, scope).await?,
        GroupBy::Team => store::team_names(&state.db, scope).await?,
        GroupBy::Channel => facts_store::labels(&state.db, scope, "channel").await?,
        GroupBy::Category => categories::names(state, scope).await?,
        GroupBy::Day | GroupBy::Total => HashMap::new(),
    })
}

fn rows_of(groups: BTreeMap<Key, Metrics>, labels: &HashMap<Uuid, String>) -> Vec<ProductivityRow> {
    groups
        .into_iter()
        .map(|(key, metrics)| {
            let (key, label) = match key {
                Key::Id(id) => (id.to_string(), labels.get(&id).cloned().unwrap_or_else(|| id.to_string())),
                Key::Day(day) => (day.to_string(), day.to_string()),
                Key::Total => ("total".into(), "Total".into()),
            };
            ProductivityRow { key, label, metrics }
        })
        .collect()
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
fn page<T>(rows: Vec<T>, query: &ReportQuery, all: bool) -> Vec<T> {
    if all {
        return rows;
    }
    let (limit, offset) = crate::http::paging(query.limit, query.offset);
    rows.into_iter().skip(offset as usize).take(limit as usize).collect()
}

fn group_by(query: &ReportQuery) -> AppResult<GroupBy> {
    match query.group_by.as_deref() {
        None => Ok(GroupBy::Agent),
        Some(g) => GroupBy::parse(g).ok_or_else(|| invalid(format!("groupBy: `{g}` is not a grouping"))),
    }
}

/// Productivity per agent, team, channel, category or day.
pub async fn productivity(
    state: &AppState,
    scope: &Scope,
    query: &ReportQuery,
    all: bool,
) -> AppResult<(ProductivityReport, Dialect)> {
    let grouping = group_by(query)?;
    let ctx = context(state, scope, query).await?;
    let (from, to) = (ctx.period.from, ctx.period.to);
    let data = load(state, scope, &ctx, from, to).await?;
    let labels = labels(state, scope, grouping).await?;
    let totals = total(compute(&ctx, &data, GroupBy::Total, from, to));
    let mut rows = rows_of(compute(&ctx, &data, grouping, from, to), &labels);
    let default = if grouping == GroupBy::Day { ("key", "asc") } else { ("label", "asc") };
    let sort = query.sort.as_deref().unwrap_or(default.0);
    let order = query.order.as_deref().or(query.sort.is_none().then_some(default.1));
    sort_rows(&mut rows, Some(sort), order)?;
    let total_rows = rows.len() as u64;
    let rows = page(rows, query, all);
    let group_by = serde_json::to_value(grouping).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    let report = ProductivityReport { period: ctx.period.clone(), group_by, rows, total: total_rows, totals };
    Ok((report, Dialect::for_locale(&ctx.locale)))
}

/// One agent's figures, day by day.
pub async fn agent(
    state: &AppState,
    scope: &Scope,
    agent_id: Uuid,
    query: &ReportQuery,
) -> AppResult<(AgentReport, Dialect)> {
    let mut query = query.clone();
    query.agent_ids = Some(agent_id.to_string());
    let ctx = context(state, scope, &query).await?;
    let (from, to) = (ctx.period.from, ctx.period.to);
    let data = load(state, scope, &ctx, from, to).await?;
    let metrics = total(compute(&ctx, &data, GroupBy::Total, from, to));
    let days = rows_of(compute(&ctx, &data, GroupBy::Day, from, to), &HashMap::new());
    let names = store::user_names(&state.db, scope).await?;
    let report = AgentReport {
        period: ctx.period.clone(),
        agent_id,
        agent_name: names.get(&agent_id).cloned().unwrap_or_default(),
        metrics,
        days,
    };
    Ok((report, Dialect::for_locale(&ctx.locale)))
}

async fn sessions(state: &AppState, scope: &Scope, ctx: &Context) -> AppResult<Vec<WorkSessionView>> {
    let agents: Option<Vec<Uuid>> = ctx.agents.as_ref().map(|a| a.iter().copied().collect());
    let rows = service::session_views(
        state,
        scope,
        agents.as_deref(),
        Some(ctx.period.from),
        Some(ctx.period.to),
        MAX_SESSIONS,
    )
    .await?;
    Ok(rows.into_iter().filter(|s| s.login_at >= ctx.period.from && s.login_at < ctx.period.to).collect())
}

/// Work sessions that began in the period, with their idle periods.
pub async fn work_logs(
    state: &AppState,
    scope: &Scope,
    query: &ReportQuery,
    all: bool,
) -> AppResult<(WorkLogReport, Dialect)> {
    let ctx = context(state, scope, query).await?;
    let names = store::user_names(&state.db, scope).await?;
    let mut rows: Vec<WorkLogRow> = sessions(state, scope, &ctx)
        .await?
        .into_iter()
        .map(|s| WorkLogRow {
            session_id: s.id,
            agent_id: s.agent_id,
            agent_name: names.get(&s.agent_id).cloned().unwrap_or_default(),
            day: metrics::local_day(ctx.tz, s.login_at),
            login_at: s.login_at,
            logout_at: s.logout_at,
            total_seconds: s.total_seconds,
            active_seconds: s.active_seconds,
            idle_seconds: s.idle_seconds,
            idle_periods: s.idle_periods,
        })
        .collect();
    let sort = query.sort.as_deref().unwrap_or("loginAt");
    sort_rows(&mut rows, Some(sort), query.order.as_deref())?;
    let total = rows.len() as u64;
    let report = WorkLogReport { period: ctx.period.clone(), rows: page(rows, query, all), total };
    Ok((report, Dialect::for_locale(&ctx.locale)))
}

/// Idle time per agent.
pub async fn idle(state: &AppState, scope: &Scope, query: &ReportQuery, all: bool) -> AppResult<(IdleReport, Dialect)> {
    let ctx = context(state, scope, query).await?;
    let names = store::user_names(&state.db, scope).await?;
    let mut by_agent: BTreeMap<Uuid, IdleRow> = BTreeMap::new();
    for s in sessions(state, scope, &ctx).await? {
        let row = by_agent.entry(s.agent_id).or_insert_with(|| IdleRow {
            agent_id: s.agent_id,
            agent_name: names.get(&s.agent_id).cloned().unwrap_or_default(),
            sessions: 0,
            logged_seconds: 0,
            active_seconds: 0,
            idle_seconds: 0,
            idle_periods: 0,
            longest_idle_seconds: 0,
            idle_share: None,
        });
        row.sessions += 1;
        row.logged_seconds += s.total_seconds;
        row.active_seconds += s.active_seconds;
        row.idle_seconds += s.idle_seconds;
        row.idle_periods += s.idle_periods.len() as u64;
        row.longest_idle_seconds = s.idle_periods.iter().map(|p| p.seconds).fold(row.longest_idle_seconds, i64::max);
    }
    let mut rows: Vec<IdleRow> = by_agent
        .into_values()
        .map(|mut r| {
            r.idle_share = (r.logged_seconds > 0).then(|| r.idle_seconds as f64 / r.logged_seconds as f64);
            r
        })
        .collect();
    sort_rows(&mut rows, Some(query.sort.as_deref().unwrap_or("idleSeconds")), query.order.as_deref())?;
    let total = rows.len() as u64;
    let report = IdleReport { period: ctx.period.clone(), rows: page(rows, query, all), total };
    Ok((report, Dialect::for_locale(&ctx.locale)))
}

/// Whether the caller's filters keep a cycle: one of its agents (first replier,
/// resolver, assignee) is in scope, and its channel and categories match.
fn keeps(ctx: &Context, data: &Data, c: &super::entity::conversation_fact::Model) -> bool {
    let agent_ok = ctx.agents.as_ref().is_none_or(|agents| {
        [c.first_reply_agent_id, c.resolved_by, c.assignee_id].iter().flatten().any(|a| agents.contains(a))
    });
    let channel_ok = ctx.channels.as_ref().is_none_or(|ch| ch.contains(&c.channel_id));
    let category_ok = ctx.categories.as_ref().is_none_or(|wanted| {
        data.categories.get(&c.conversation_id).is_some_and(|ids| ids.iter().any(|id| wanted.contains(id)))
    });
    agent_ok && channel_ok && category_ok
}

/// Conversations per category (those with an opening, first reply or resolution in
/// the period that the caller's filters keep).
pub async fn categories_report(
    state: &AppState,
    scope: &Scope,
    query: &ReportQuery,
    all: bool,
) -> AppResult<(CategoryReport, Dialect)> {
    let ctx = context(state, scope, query).await?;
    let (from, to) = (ctx.period.from, ctx.period.to);
    let data = load(state, scope, &ctx, from, to).await?;
    let names = categories::names(state, scope).await?;
    let within = |t: Option<DateTime<Utc>>| t.is_some_and(|t| t >= from && t < to);
    let mut conversations: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
    let mut resolved: HashMap<Uuid, u64> = HashMap::new();
    let mut uncategorized: HashSet<Uuid> = HashSet::new();
    for c in data.cycles.iter().filter(|c| keeps(&ctx, &data, c)) {
        let tagged = data.categories.get(&c.conversation_id).cloned().unwrap_or_default();
        if tagged.is_empty() {
            uncategorized.insert(c.conversation_id);
        }
        for id in tagged.iter().filter(|id| ctx.categories.as_ref().is_none_or(|w| w.contains(id))) {
            conversations.entry(*id).or_default().insert(c.conversation_id);
            if within(c.resolved_at) {
                *resolved.entry(*id).or_default() += 1;
            }
        }
    }
    let categorised: u64 = conversations.values().map(|s| s.len() as u64).sum();
    let mut rows: Vec<CategoryRow> = conversations
        .into_iter()
        .map(|(id, convs)| CategoryRow {
            category_id: id,
            path: names.get(&id).cloned().unwrap_or_else(|| id.to_string()),
            conversations: convs.len() as u64,
            resolved: resolved.get(&id).copied().unwrap_or(0),
            share: if categorised > 0 { convs.len() as f64 / categorised as f64 } else { 0.0 },
        })
        .collect();
    rows.sort_by(|a, b| a.path.cmp(&b.path));
    sort_rows(&mut rows, Some(query.sort.as_deref().unwrap_or("conversations")), query.order.as_deref())?;
    let total = rows.len() as u64;
    let report = CategoryReport {
        period: ctx.period.clone(),
        rows: page(rows, query, all),
        total,
        uncategorized: uncategorized.len() as u64,
    };
    Ok((report, Dialect::for_locale(&ctx.locale)))
}

/// One row per conversation cycle with its metrics (the per-conversation export).
pub async fn conversations(
    state: &AppState,
    scope: &Scope,
    query: &ReportQuery,
    all: bool,
) -> AppResult<(ConversationReport, Dialect)> {
    let ctx = context(state, scope, query).await?;
    let (from, to) = (ctx.period.from, ctx.period.to);
    let data = load(state, scope, &ctx, from, to).await?;
    let users = store::user_names(&state.db, scope).await?;
    let channels = facts_store::labels(&state.db, scope, "channel").await?;
    let categories = categories::names(state, scope).await?;
    let secs = |a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>| match (a, b) {
        (Some(a), Some(b)) => Some((b - a).num_seconds().max(0)),
        _ => None,
    };
    let mut rows: Vec<ConversationRow> = data
        .cycles
        .iter()
        .filter(|c| keeps(&ctx, &data, c))
        .map(|c| {
            let agent = c.resolved_by.or(c.assignee_id).or(c.first_reply_agent_id);
            let involvement = c.resolved_at.map(|r| c.first_involvement_at.unwrap_or(r).min(r));
            ConversationRow {
                conversation_id: c.conversation_id,
                cycle: c.cycle,
                channel: channels.get(&c.channel_id).cloned().unwrap_or_else(|| c.channel_id.to_string()),
                agent_name: agent.and_then(|a| users.get(&a).cloned()),
                opened_at: c.opened_at,
                first_inbound_at: c.first_inbound_at,
                first_reply_at: c.first_reply_at,
                resolved_at: c.resolved_at,
                frt_seconds: secs(c.first_inbound_at, c.first_reply_at),
                resolution_seconds: secs(Some(c.opened_at), c.resolved_at),
                handling_seconds: secs(involvement, c.resolved_at),
                first_contact_resolution: c.resolved_at.map(|_| metrics::first_contact(c, ctx.fcr_window)),
                categories: data
                    .categories
                    .get(&c.conversation_id)
                    .map(|ids| ids.iter().filter_map(|id| categories.get(id).cloned()).collect())
                    .unwrap_or_default(),
            }
        })
        .collect();
    sort_rows(&mut rows, Some(query.sort.as_deref().unwrap_or("openedAt")), query.order.as_deref())?;
    let total = rows.len() as u64;
    let report = ConversationReport { period: ctx.period.clone(), rows: page(rows, query, all), total };
    Ok((report, Dialect::for_locale(&ctx.locale)))
}

// ---------------------------------------------------------------------------------
// CSV

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
