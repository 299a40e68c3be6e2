//! The reports, computed by `metrics` from the productivity tables only (facts,
//! productivity events, work sessions: never messages), for the filters resolved by
//! `reports_query`; each can be written as CSV (`reports_csv`).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    board, categories, facts_store,
    metrics::{self, GroupBy, Inputs, Key, Lookup, Metrics, SessionFact},
    model::{PresenceStatus, WorkSessionView},
    reports_model::*,
    reports_query::{Context, context, group_by, page, sort_rows},
    spreadsheet::Dialect,
    store,
};
use crate::{
    error::AppResult,
    state::AppState,
    tenancy::{Role, Scope},
};

/// Work sessions read for one report at most.
const MAX_SESSIONS: u64 = 50_000;

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
    let sessions = board::session_views(state, scope, agents.as_deref(), Some(from), Some(to), MAX_SESSIONS)
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
        for p in board::board(state, scope, None).await? {
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
    let rows =
        board::session_views(state, scope, agents.as_deref(), Some(ctx.period.from), Some(ctx.period.to), MAX_SESSIONS)
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
