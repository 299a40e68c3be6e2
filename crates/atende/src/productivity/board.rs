//! What the remote-work module shows: presences (the live board, the socket snapshot,
//! the caller's own state) and work sessions with their idle periods.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{
    entity::work_session,
    model::{
        ActivityMe, IdlePeriodView, PresenceSession, PresenceStatus, PresenceView, WorkSessionView, availability_of,
    },
    presence::{EndReason, IdleSource},
    service::{session_of, settings},
    store,
};
use crate::{
    error::{AppError, AppResult},
    state::AppState,
    tenancy::{Role, Scope},
    users::entity as user,
};

pub(super) fn view_of(person: &user::Model, team_ids: Vec<Uuid>, row: Option<&work_session::Model>) -> PresenceView {
    match row.filter(|r| r.logout_at.is_none()) {
        Some(row) => {
            let s = session_of(row);
            let totals = s.totals_at(s.since);
            PresenceView {
                agent_id: person.id,
                name: person.name.clone(),
                team_ids,
                status: s.status,
                since: s.since,
                reason: s.reason.clone(),
                availability: availability_of(&person.availability),
                session: Some(PresenceSession {
                    id: row.id,
                    login_at: row.login_at,
                    active_seconds: totals.active_seconds,
                    idle_seconds: totals.idle_seconds,
                }),
            }
        }
        None => PresenceView {
            agent_id: person.id,
            name: person.name.clone(),
            team_ids,
            status: PresenceStatus::Offline,
            since: row.and_then(|r| r.logout_at).unwrap_or(person.created_at),
            reason: row.and_then(|r| r.end_reason.clone()),
            availability: availability_of(&person.availability),
            session: None,
        },
    }
}

/// The best open session of an agent: ACTIVE over IDLE, then the most recent status.
fn best<'a>(rows: impl Iterator<Item = &'a work_session::Model>) -> Option<&'a work_session::Model> {
    rows.max_by_key(|r| (r.status == "ACTIVE", r.status_since))
}

/// Presences of these users (their open sessions, else their last closed one).
async fn presences(
    db: &impl sea_orm::ConnectionTrait,
    scope: &Scope,
    people: Vec<user::Model>,
) -> AppResult<Vec<PresenceView>> {
    let ids: Vec<Uuid> = people.iter().map(|p| p.id).collect();
    let open = store::open_sessions(db, scope, None, Some(&ids)).await?;
    let offline: Vec<Uuid> = ids.iter().copied().filter(|id| !open.iter().any(|r| r.agent_id == *id)).collect();
    let closed = store::last_closed(db, scope, &offline).await?;
    let mut teams: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for m in store::memberships_of(db, scope, &ids).await? {
        teams.entry(m.user_id).or_default().push(m.team_id);
    }
    Ok(people
        .iter()
        .map(|p| {
            let mut team_ids = teams.remove(&p.id).unwrap_or_default();
            team_ids.sort();
            let row = best(open.iter().filter(|r| r.agent_id == p.id)).or_else(|| closed.get(&p.id));
            view_of(p, team_ids, row)
        })
        .collect())
}

/// One agent's presence, read inside a transaction (for the event it records).
pub(super) async fn presence_in(
    db: &impl sea_orm::ConnectionTrait,
    scope: &Scope,
    agent_id: Uuid,
) -> AppResult<PresenceView> {
    let person = store::person(db, scope, agent_id).await?.ok_or(AppError::NotFound)?;
    Ok(presences(db, scope, vec![person]).await?.remove(0))
}

/// The teams a caller supervises (`None`: every team, for admins).
fn supervised_teams(scope: &Scope) -> Option<Vec<Uuid>> {
    if scope.is_at_least(Role::Admin) { None } else { Some(scope.supervised_team_ids.clone()) }
}

/// The agents a caller supervises: everyone for admins, members of supervised teams
/// (and themselves) for managers, themselves for agents. `None` = every user.
pub async fn supervised_ids(state: &AppState, scope: &Scope) -> AppResult<Option<Vec<Uuid>>> {
    if scope.is_at_least(Role::Admin) {
        return Ok(None);
    }
    let mut ids = vec![scope.user_id];
    if scope.is_at_least(Role::Manager) {
        let teams = scope.supervised_team_ids.clone();
        ids.extend(store::memberships(&state.db, scope, Some(&teams)).await?.into_iter().map(|m| m.user_id));
    }
    ids.sort();
    ids.dedup();
    Ok(Some(ids))
}

/// The live board: presences of the agents the caller supervises (managers and admins),
/// optionally of one team.
pub async fn board(state: &AppState, scope: &Scope, team_id: Option<Uuid>) -> AppResult<Vec<PresenceView>> {
    scope.require(Role::Manager)?;
    let teams = match (supervised_teams(scope), team_id) {
        (Some(mine), Some(team)) if !mine.contains(&team) => return Err(AppError::NotFound),
        (_, Some(team)) => Some(vec![team]),
        (Some(mine), None) => Some(mine),
        (None, None) => None,
    };
    let ids: Option<Vec<Uuid>> = match &teams {
        Some(teams) => {
            let members = store::memberships(&state.db, scope, Some(teams)).await?;
            if let (Some(team), true) = (team_id, members.is_empty()) {
                // An admin naming a team of another tenant (or none) gets a 404.
                if !store::team_exists(&state.db, scope, team).await? {
                    return Err(AppError::NotFound);
                }
            }
            let mut ids: Vec<Uuid> = members.into_iter().map(|m| m.user_id).collect();
            ids.sort();
            ids.dedup();
            Some(ids)
        }
        None => None,
    };
    let people = store::people(&state.db, scope, ids.as_deref()).await?;
    presences(&state.db, scope, people).await
}

/// The snapshot a manager/admin socket gets on connect (empty for agents).
pub async fn snapshot(state: &AppState, scope: &Scope) -> AppResult<Vec<PresenceView>> {
    if !scope.is_at_least(Role::Manager) {
        return Ok(Vec::new());
    }
    board(state, scope, None).await
}

/// The caller's presence, settings and notice state.
pub async fn me(state: &AppState, scope: &Scope) -> AppResult<ActivityMe> {
    let person = store::person(&state.db, scope, scope.user_id).await?.ok_or(AppError::Unauthorized)?;
    let presence = match scope.session_id {
        // This device's session when it has one (its timer), else the agent's presence.
        Some(login) => match store::open_sessions(&state.db, scope, Some(login), None).await?.first() {
            Some(row) => view_of(&person, scope.team_ids.clone(), Some(row)),
            None => presences(&state.db, scope, vec![person]).await?.remove(0),
        },
        None => presences(&state.db, scope, vec![person]).await?.remove(0),
    };
    Ok(ActivityMe {
        presence,
        settings: settings(state, scope).await?,
        notice_acknowledged: store::notice_acknowledged(&state.db, scope, scope.user_id).await?,
    })
}

/// The caller read the "what is measured" notice.
pub async fn acknowledge_notice(state: &AppState, scope: &Scope) -> AppResult<()> {
    store::acknowledge_notice(&state.db, scope, scope.user_id, state.now()).await?;
    Ok(())
}

/// Parses `from`/`to`: RFC 3339, or a UTC day (`to` days are inclusive).
fn bound(value: Option<&str>, field: &str, end: bool) -> AppResult<Option<DateTime<Utc>>> {
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Ok(Some(at.with_timezone(&Utc)));
    }
    let day = NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| AppError::field(field, "use an RFC 3339 time or a YYYY-MM-DD day"))?;
    let day = if end { day.succ_opt().unwrap_or(day) } else { day };
    Ok(Some(day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()))
}

/// Work sessions with their idle periods: an agent's own, a manager's supervised
/// agents', anyone's for admins. Someone else's agent → 404.
pub async fn sessions(
    state: &AppState,
    scope: &Scope,
    agent_id: Option<Uuid>,
    from: Option<&str>,
    to: Option<&str>,
) -> AppResult<Vec<WorkSessionView>> {
    let from = bound(from, "from", false)?;
    let to = bound(to, "to", true)?;
    let visible = supervised_ids(state, scope).await?;
    let agents: Option<Vec<Uuid>> = match (agent_id, visible) {
        (Some(agent), Some(ids)) if !ids.contains(&agent) => return Err(AppError::NotFound),
        (Some(agent), _) => {
            store::person(&state.db, scope, agent).await?.ok_or(AppError::NotFound)?;
            Some(vec![agent])
        }
        (None, visible) => visible,
    };
    session_views(state, scope, agents.as_deref(), from, to, 500).await
}

/// Work sessions overlapping `[from, to)` of some agents (or all), newest first, with
/// their totals (open ones up to now) and idle periods.
pub async fn session_views(
    state: &AppState,
    scope: &Scope,
    agents: Option<&[Uuid]>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    limit: u64,
) -> AppResult<Vec<WorkSessionView>> {
    let rows = store::sessions_between(&state.db, scope, agents, from, to, limit).await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut periods: HashMap<Uuid, Vec<IdlePeriodView>> = HashMap::new();
    let now = state.now();
    for p in store::periods_of(&state.db, scope, &ids).await? {
        let seconds = p.seconds.unwrap_or_else(|| (now - p.started_at).num_seconds().max(0));
        periods.entry(p.session_id).or_default().push(IdlePeriodView {
            started_at: p.started_at,
            ended_at: p.ended_at,
            seconds,
            source: IdleSource::parse(&p.source).unwrap_or(IdleSource::Client),
        });
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let s = session_of(&row);
            let totals = s.totals_at(now);
            WorkSessionView {
                id: row.id,
                agent_id: row.agent_id,
                login_at: row.login_at,
                logout_at: row.logout_at,
                end_reason: row.end_reason.as_deref().and_then(EndReason::parse),
                status: s.status,
                total_seconds: totals.total_seconds,
                active_seconds: totals.active_seconds,
                idle_seconds: totals.idle_seconds,
                idle_periods: periods.remove(&row.id).unwrap_or_default(),
            }
        })
        .collect())
}
