//! Remote-work rules: signals from the client, the sweeper, login/logout (through the
//! outbox), presence views and the settings. The state machine itself is `presence`.
//!
//! Cost of a heartbeat: one UPDATE (…RETURNING) of the session row by its login session,
//! plus reading the agent's name for the answer. Anything else (a transition, a due
//! deadline, no open session) takes the slow path: a write transaction that locks the
//! row, applies the state machine and records the events.
//!
//! Any authenticated API call is a sign of life: the `Scope` extractor notes it in
//! memory (`AppState::last_seen`) and the scheduler writes the notes every tick
//! ([`flush_seen`]) — no write per request. It keeps a session from the server
//! timeout, ends a server-detected idle, but does not end an idle the client declared
//! (a background refetch is not the agent coming back).

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use garde::Validate;
use serde_json::json;
use uuid::Uuid;

use super::{
    board::{presence_in, view_of},
    entity::work_session,
    model::{IdleWarning, PresenceStatus, PresenceView, ProductivitySettings, availability_of},
    presence::{EndReason, IdleSource, Session, Signal, Step, reason},
    store,
};
use crate::{
    audit::{self, Entry},
    auth,
    error::{AppError, AppResult},
    events::{
        self, AccessRevoked, AgentStatusChanged, DomainEvent, IdleWarned, ProductivitySettingsUpdated, RevokeReason,
    },
    settings,
    state::AppState,
    tenancy::{Role, Scope},
};

// ---------------------------------------------------------------------------------
// Settings

/// The tenant's remote-work settings; never saved → defaults, taking the idle timeout
/// and auto-logout of the workspace settings where they were set before.
pub async fn settings(state: &AppState, scope: &Scope) -> AppResult<ProductivitySettings> {
    settings_in(&state.db, scope).await
}

async fn settings_in(db: &impl sea_orm::ConnectionTrait, scope: &Scope) -> AppResult<ProductivitySettings> {
    if let Some(value) = store::settings_get(db, scope).await? {
        return Ok(serde_json::from_value(value).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "stored productivity settings unreadable; using defaults");
            ProductivitySettings::default()
        }));
    }
    let legacy = settings::load(db, scope).await?;
    Ok(ProductivitySettings {
        idle_timeout_minutes: legacy.idle_timeout_minutes,
        auto_logout: legacy.auto_logout,
        auto_logout_grace_minutes: legacy.auto_logout_grace_minutes.min(120),
        ..ProductivitySettings::default()
    })
}

/// Merges a partial object into the settings, validates, saves, tells live clients.
pub async fn update_settings(
    state: &AppState,
    scope: &Scope,
    patch: serde_json::Map<String, serde_json::Value>,
) -> AppResult<ProductivitySettings> {
    scope.require(Role::Admin)?;
    let current = settings(state, scope).await?;
    let mut merged = match serde_json::to_value(&current) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    let keys: Vec<String> = patch.keys().cloned().collect();
    merged.extend(patch);
    let next: ProductivitySettings = serde_json::from_value(serde_json::Value::Object(merged)).map_err(|e| {
        let message = e.to_string();
        AppError::Validation { message: message.clone(), details: json!({ "settings": [message] }) }
    })?;
    next.validate()?;
    if next.offline_timeout_minutes <= next.idle_timeout_minutes + next.server_timeout_minutes {
        return Err(AppError::field(
            "offlineTimeoutMinutes",
            "must be longer than the idle timeout plus the server timeout",
        ));
    }
    let value = serde_json::to_value(&next).map_err(|e| AppError::Internal(e.into()))?;
    let txn = crate::db::begin_write(&state.db).await?;
    store::settings_save(&txn, scope, value, state.now()).await?;
    // Deadlines of open sessions were computed with the old timeouts: the next sweep
    // looks at each again with the new ones.
    store::recheck_open(&txn, scope, state.now()).await?;
    audit::record(
        &txn,
        scope,
        Entry::new("productivity.settings_updated", "tenant", scope.tenant_id).details(json!({ "keys": keys })),
    )
    .await?;
    let changed = ProductivitySettingsUpdated { tenant_id: scope.tenant_id, settings: next.clone() };
    events::record(&txn, vec![changed.into()]).await?;
    events::commit(txn, &state.events).await?;
    Ok(next)
}

// ---------------------------------------------------------------------------------
// Rows ↔ state machine

pub(super) fn session_of(row: &work_session::Model) -> Session {
    Session {
        login_at: row.login_at,
        status: PresenceStatus::parse(&row.status),
        since: row.status_since,
        reason: row.status_reason.clone(),
        idle_source: row.idle_source.as_deref().and_then(IdleSource::parse),
        last_seen_at: row.last_seen_at,
        idle_seconds: row.idle_seconds,
        expires_at: row.expires_at,
        ended: match (row.logout_at, row.end_reason.as_deref().and_then(EndReason::parse)) {
            (Some(at), Some(why)) => Some((at, why)),
            (Some(at), None) => Some((at, EndReason::Logout)),
            _ => None,
        },
    }
}

fn row_with(row: &work_session::Model, s: &Session, settings: &ProductivitySettings) -> work_session::Model {
    let mut next = row.clone();
    next.status = s.status.as_str().to_string();
    next.status_since = s.since;
    next.status_reason = s.reason.clone();
    next.idle_source = s.idle_source.map(|i| i.as_str().to_string());
    next.last_seen_at = s.last_seen_at;
    next.idle_seconds = s.idle_seconds;
    next.next_check_at = s.next_check(&settings.timeouts());
    if let Some((at, why)) = s.ended {
        let totals = s.totals_at(at);
        next.logout_at = Some(at);
        next.end_reason = Some(why.as_str().to_string());
        next.total_seconds = Some(totals.total_seconds);
        next.active_seconds = Some(totals.active_seconds);
        next.idle_seconds = totals.idle_seconds;
    }
    next
}

/// Writes what a step says, inside the transaction; returns the events to record.
async fn persist(
    txn: &impl sea_orm::ConnectionTrait,
    row: &work_session::Model,
    step: &Step,
    settings: &ProductivitySettings,
) -> AppResult<(work_session::Model, Vec<DomainEvent>)> {
    let next = row_with(row, &step.session, settings);
    if next != *row {
        store::save_session(txn, next.clone()).await?;
    }
    if let Some((end, seconds)) = step.idle_closed {
        store::close_period(txn, row, end, seconds).await?;
    }
    if let Some((start, source)) = step.idle_opened {
        store::open_period(txn, row, start, source.as_str()).await?;
    }
    let mut out = Vec::new();
    if let Some(t) = &step.transition {
        store::insert_change(txn, row, Some(t.from.as_str()), t.to.as_str(), t.at, &t.reason).await?;
    }
    if let Some(logout_at) = step.logout_warning {
        out.push(
            IdleWarned { tenant_id: row.tenant_id, user_id: row.agent_id, warning: IdleWarning { logout_at } }.into(),
        );
    }
    if step.revoke_login {
        auth::store::revoke_session(txn, row.login_session_id).await?;
        out.push(
            AccessRevoked {
                tenant_id: row.tenant_id,
                user_id: Some(row.agent_id),
                session_id: Some(row.login_session_id),
                reason: RevokeReason::Idle,
                at: step.ended.map(|(at, _)| at),
            }
            .into(),
        );
    }
    Ok((next, out))
}

/// A work session to open.
struct Opening<'a> {
    agent_id: Uuid,
    login_session_id: Uuid,
    at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    why: &'a str,
}

/// Opens a work session for a login session (ACTIVE since `at`).
async fn open(
    txn: &impl sea_orm::ConnectionTrait,
    scope: &Scope,
    opening: Opening<'_>,
    settings: &ProductivitySettings,
) -> AppResult<work_session::Model> {
    let Opening { agent_id, login_session_id, at, expires_at, why } = opening;
    let s = Session::open(at, expires_at, why);
    let row = work_session::Model {
        id: Uuid::now_v7(),
        tenant_id: scope.tenant_id,
        agent_id,
        login_session_id,
        login_at: at,
        logout_at: None,
        end_reason: None,
        status: s.status.as_str().to_string(),
        status_since: at,
        status_reason: Some(why.to_string()),
        idle_source: None,
        last_seen_at: at,
        idle_seconds: 0,
        total_seconds: None,
        active_seconds: None,
        expires_at,
        next_check_at: s.next_check(&settings.timeouts()),
    };
    let row = store::insert_session(txn, row).await?;
    store::insert_change(txn, &row, Some(PresenceStatus::Offline.as_str()), PresenceStatus::Active.as_str(), at, why)
        .await?;
    Ok(row)
}

// ---------------------------------------------------------------------------------
// Signals

fn login_session_of(scope: &Scope) -> AppResult<Uuid> {
    scope.session_id.ok_or_else(|| AppError::BadRequest {
        code: "login_session_required",
        message: "Activity is measured for signed-in sessions, not API tokens".into(),
        details: serde_json::Value::Null,
    })
}

/// A client signal (heartbeat, idle, active) from the caller's login session; returns
/// the caller's presence as this session sees it.
pub async fn signal(state: &AppState, scope: &Scope, signal: Signal) -> AppResult<PresenceView> {
    let login = login_session_of(scope)?;
    let now = state.now();
    if signal == Signal::Heartbeat
        && let Some(row) = store::touch(&state.db, scope, login, now).await?
    {
        state.last_seen.forget(login);
        let person = store::person(&state.db, scope, scope.user_id).await?.ok_or(AppError::Unauthorized)?;
        return Ok(view_of(&person, scope.team_ids.clone(), Some(&row)));
    }
    let row = apply(state, scope, login, signal, now, true).await?;
    state.last_seen.forget(login);
    let person = store::person(&state.db, scope, scope.user_id).await?.ok_or(AppError::Unauthorized)?;
    Ok(view_of(&person, scope.team_ids.clone(), row.as_ref()))
}

/// The slow path: one write transaction that locks the session, applies the signal
/// (opening a session first when `may_open` and none is open), stores and broadcasts.
async fn apply(
    state: &AppState,
    scope: &Scope,
    login: Uuid,
    signal: Signal,
    now: DateTime<Utc>,
    may_open: bool,
) -> AppResult<Option<work_session::Model>> {
    let settings = settings(state, scope).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let mut events_out = Vec::new();
    let mut changed = false;
    let mut current = store::open_for_login(&txn, scope, login).await?;
    if let Some(row) = current.clone() {
        let step = session_of(&row).step(signal, now, &settings.timeouts());
        changed |= step.transition.is_some();
        let (next, more) = persist(&txn, &row, &step, &settings).await?;
        events_out.extend(more);
        current = next.logout_at.is_none().then_some(next);
    }
    if current.is_none() && may_open && signal != Signal::Seen {
        // A live login with no open work session: the first signal after login (the
        // login event may still be on its way) or after the server closed it.
        if let Some(auth_session) =
            auth::store::find_live_session(&txn, login, scope.user_id, Some(scope.tenant_id)).await?
        {
            let first = !store::login_was_measured(&txn, scope, login).await?;
            let (at, why) =
                if first { (auth_session.created_at.min(now), reason::LOGIN) } else { (now, reason::ACTIVITY) };
            let opening = Opening {
                agent_id: scope.user_id,
                login_session_id: login,
                at,
                expires_at: auth_session.expires_at,
                why,
            };
            let row = open(&txn, scope, opening, &settings).await?;
            changed = true;
            // Then the signal itself (a heartbeat's time, an idle).
            let step = session_of(&row).step(signal, now, &settings.timeouts());
            let (next, more) = persist(&txn, &row, &step, &settings).await?;
            events_out.extend(more);
            current = next.logout_at.is_none().then_some(next);
        }
    }
    if changed {
        let presence = presence_in(&txn, scope, scope.user_id).await?;
        events_out.insert(0, AgentStatusChanged { tenant_id: scope.tenant_id, presence }.into());
    }
    events::record(&txn, events_out).await?;
    events::commit(txn, &state.events).await?;
    Ok(current)
}

/// Writes the in-memory "last authenticated request" notes (every instance, every
/// scheduler tick). Returns how many sessions were touched.
pub async fn flush_seen(state: &AppState) -> usize {
    let mut touched = 0;
    for (login, seen) in state.last_seen.drain() {
        let scope = Scope {
            tenant_id: seen.tenant_id,
            user_id: seen.user_id,
            role: Role::Agent,
            team_ids: Vec::new(),
            supervised_team_ids: Vec::new(),
            session_id: Some(login),
        };
        let result = match store::touch(&state.db, &scope, login, seen.at).await {
            Ok(Some(_)) => Ok(()),
            Ok(None) => apply(state, &scope, login, Signal::Seen, seen.at, false).await.map(|_| ()),
            Err(e) => Err(e.into()),
        };
        match result {
            Ok(()) => touched += 1,
            Err(e) => tracing::warn!(error = %e, "could not record activity"),
        }
    }
    touched
}

// ---------------------------------------------------------------------------------
// Login / logout (outbox subscriber) and the sweeper

/// A login happened: open its work session at the login time (once; a replayed event
/// or a session the client already opened changes nothing).
pub async fn signed_in(
    state: &AppState,
    tenant_id: Uuid,
    user_id: Uuid,
    login: Uuid,
    at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> AppResult<()> {
    let scope = Scope::system(tenant_id);
    let settings = settings(state, &scope).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    if store::login_was_measured(&txn, &scope, login).await? || store::person(&txn, &scope, user_id).await?.is_none() {
        txn.rollback().await?;
        return Ok(());
    }
    let now = state.now();
    let step_now = now.max(at);
    let opening = Opening { agent_id: user_id, login_session_id: login, at, expires_at, why: reason::LOGIN };
    let row = open(&txn, &scope, opening, &settings).await?;
    // A login event handled late (the server was down) may already be past deadlines.
    let step = session_of(&row).step(Signal::Tick, step_now, &settings.timeouts());
    let (_, mut out) = persist(&txn, &row, &step, &settings).await?;
    let presence = presence_in(&txn, &scope, user_id).await?;
    out.insert(0, AgentStatusChanged { tenant_id, presence }.into());
    events::record(&txn, out).await?;
    events::commit(txn, &state.events).await?;
    Ok(())
}

/// Access ended: close the matching open sessions (one login session, every session of
/// a user, or the whole tenant).
pub async fn access_ended(
    state: &AppState,
    tenant_id: Uuid,
    user_id: Option<Uuid>,
    login: Option<Uuid>,
    why: EndReason,
    at: DateTime<Utc>,
) -> AppResult<usize> {
    let scope = Scope::system(tenant_id);
    let settings = settings(state, &scope).await?;
    let txn = crate::db::begin_write(&state.db).await?;
    let agents = user_id.map(|u| vec![u]);
    let rows = store::open_sessions(&txn, &scope, login, agents.as_deref()).await?;
    let mut out = Vec::new();
    let mut agents_changed = BTreeSet::new();
    for row in &rows {
        let Some(row) = store::lock(&txn, &scope, row.id).await? else { continue };
        let step = session_of(&row).step(Signal::End(why), at, &settings.timeouts());
        if step.transition.is_some() {
            agents_changed.insert(row.agent_id);
        }
        let (_, more) = persist(&txn, &row, &step, &settings).await?;
        out.extend(more);
    }
    for agent in &agents_changed {
        let presence = presence_in(&txn, &scope, *agent).await?;
        out.push(AgentStatusChanged { tenant_id, presence }.into());
    }
    events::record(&txn, out).await?;
    events::commit(txn, &state.events).await?;
    Ok(rows.len())
}

/// What one sweep did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sweep {
    pub checked: usize,
    pub idle: usize,
    pub ended: usize,
}

/// Rows looked at per sweep (the rest wait for the next tick).
const SWEEP_BATCH: u64 = 500;

/// The server fallback: sessions whose next deadline passed (one indexed query) go
/// IDLE, OFFLINE (at their last signal), expire or are signed out. Runs on the
/// scheduler's leader; also what a restart does first, so nothing stays open forever.
pub async fn sweep(state: &AppState) -> AppResult<Sweep> {
    let now = state.now();
    let due = store::platform_due(&state.db, now, SWEEP_BATCH).await?;
    let mut report = Sweep::default();
    let mut settings_of: HashMap<Uuid, ProductivitySettings> = HashMap::new();
    for candidate in due {
        report.checked += 1;
        let scope = Scope::system(candidate.tenant_id);
        let settings = match settings_of.get(&candidate.tenant_id) {
            Some(s) => s.clone(),
            None => {
                let s = settings(state, &scope).await?;
                settings_of.insert(candidate.tenant_id, s.clone());
                s
            }
        };
        let txn = crate::db::begin_write(&state.db).await?;
        let Some(mut row) = store::lock(&txn, &scope, candidate.id).await? else {
            txn.rollback().await?;
            continue;
        };
        let mut out = Vec::new();
        let mut changed = false;
        // Several deadlines may have passed (after downtime): apply them in order.
        for _ in 0..3 {
            if row.logout_at.is_some() {
                break;
            }
            let step = session_of(&row).step(Signal::Tick, now, &settings.timeouts());
            let transition = step.transition.clone();
            let (next, more) = persist(&txn, &row, &step, &settings).await?;
            out.extend(more);
            row = next;
            match transition {
                Some(t) if t.to == PresenceStatus::Idle => report.idle += 1,
                Some(_) => report.ended += 1,
                None => break,
            }
            changed = true;
        }
        if changed {
            let presence = presence_in(&txn, &scope, row.agent_id).await?;
            out.insert(0, AgentStatusChanged { tenant_id: row.tenant_id, presence }.into());
        }
        events::record(&txn, out).await?;
        events::commit(txn, &state.events).await?;
    }
    Ok(report)
}

// ---------------------------------------------------------------------------------
// Presence-aware routing (inbox asks; productivity never reads conversations)

/// How new conversations are routed when presence routing is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoutingRule {
    /// Open conversations an agent may hold before being skipped.
    pub max_open_per_agent: Option<u32>,
}

/// The tenant's routing rule, `None` when presence routing is off (the default).
pub async fn routing_rule(db: &impl sea_orm::ConnectionTrait, scope: &Scope) -> AppResult<Option<RoutingRule>> {
    let settings = settings_in(db, scope).await?;
    Ok(settings.presence_routing.then_some(RoutingRule { max_open_per_agent: settings.max_open_per_agent }))
}

/// Whether unanswered conversations of an agent who went OFFLINE return to the queue.
pub async fn requeue_on_offline(db: &impl sea_orm::ConnectionTrait, scope: &Scope) -> AppResult<bool> {
    Ok(settings_in(db, scope).await?.requeue_on_offline)
}

/// Who may take a new conversation of `team_id`: the team's members (every AGENT of
/// the tenant when the conversation has no team) who chose "available" (`online`) and
/// whose presence is ACTIVE right now. IDLE and OFFLINE agents are skipped. By id.
pub async fn active_agents(
    db: &impl sea_orm::ConnectionTrait,
    scope: &Scope,
    team_id: Option<Uuid>,
) -> AppResult<Vec<Uuid>> {
    let members: Option<Vec<Uuid>> = match team_id {
        Some(team) => {
            Some(store::memberships(db, scope, Some(&[team])).await?.into_iter().map(|m| m.user_id).collect())
        }
        None => None,
    };
    let candidates = members.as_deref();
    let people = store::people(db, scope, candidates).await?;
    let available: Vec<Uuid> = people
        .iter()
        .filter(|p| candidates.is_some() || store::role_of(p) == Role::Agent)
        .filter(|p| availability_of(&p.availability) == crate::users::model::Availability::Online)
        .map(|p| p.id)
        .collect();
    if available.is_empty() {
        return Ok(Vec::new());
    }
    let open = store::open_sessions(db, scope, None, Some(&available)).await?;
    let mut ids: Vec<Uuid> =
        available.into_iter().filter(|id| open.iter().any(|r| r.agent_id == *id && r.status == "ACTIVE")).collect();
    ids.sort();
    Ok(ids)
}
