//! Socket.IO on `/socket.io/`: the handshake must carry a valid token (`auth:{token}`,
//! or the session cookie) and, when the client sends one, an allowed Origin. Each
//! socket joins its user, inbox, team and (managers) managers rooms, and agents the
//! queue rooms conversation events reach them through (`fanout` picks by the tenant's
//! `agentVisibility`); conversation rooms are joined on request for conversations the
//! caller may see (the same rule as the API). `fanout` maps domain events to rooms. With `REDIS_URL` set, emits travel between instances through Redis
//! (socketioxide-redis); otherwise the in-process adapter serves a single node. Handlers
//! are generic over the adapter so both share one code path.

pub mod fanout;

use std::{num::NonZeroU32, sync::Arc};

use axum_extra::extract::cookie::CookieJar;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serde::Deserialize;
use serde_json::json;
use socketioxide::{
    adapter::Adapter,
    extract::{AckSender, Data, SocketRef, State, TryData},
};
use uuid::Uuid;

use crate::{
    auth::{self, extract::origin_allowed},
    events::{ForceLogout, RevokeReason},
    inbox, productivity,
    state::AppState,
    tenancy::{Role, Scope},
};

/// Room names (SPEC §6).
pub mod rooms {
    use uuid::Uuid;

    pub fn user(tenant: Uuid, user: Uuid) -> String {
        format!("tenant:{tenant}:user:{user}")
    }
    pub fn inbox(tenant: Uuid) -> String {
        format!("tenant:{tenant}:inbox")
    }
    pub fn team(tenant: Uuid, team: Uuid) -> String {
        format!("tenant:{tenant}:team:{team}")
    }
    pub fn managers(tenant: Uuid) -> String {
        format!("tenant:{tenant}:managers")
    }
    /// Every agent's sockets (conversation events when agents see all conversations).
    pub fn agents(tenant: Uuid) -> String {
        format!("tenant:{tenant}:agents")
    }
    /// The agents of a team (its conversations when agents see their teams').
    pub fn team_queue(tenant: Uuid, team: Uuid) -> String {
        format!("tenant:{tenant}:queue:team:{team}")
    }
    /// Agents who may take conversations in no one's queue (no assignee, no team).
    pub fn unqueued(tenant: Uuid) -> String {
        format!("tenant:{tenant}:queue:none")
    }
    pub fn conversation(tenant: Uuid, conversation: Uuid) -> String {
        format!("tenant:{tenant}:conversation:{conversation}")
    }
    /// Presence of a team's agents: its supervisors' sockets.
    pub fn team_presence(tenant: Uuid, team: Uuid) -> String {
        format!("tenant:{tenant}:presence:team:{team}")
    }
    /// Presence of every agent: admins' sockets.
    pub fn all_presence(tenant: Uuid) -> String {
        format!("tenant:{tenant}:presence:all")
    }
    /// The sockets opened with one login session (closed together on logout).
    pub fn session(tenant: Uuid, session: Uuid) -> String {
        format!("tenant:{tenant}:session:{session}")
    }
}

/// The client's `auth` payload.
#[derive(Debug, Deserialize)]
pub struct HandshakeAuth {
    token: Option<String>,
}

/// Why a handshake was refused (sent to the client as `connect_error`).
#[derive(Debug)]
pub struct Refused(&'static str);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

/// Per-socket throttle for client events.
#[derive(Clone)]
struct Throttle(Arc<DefaultDirectRateLimiter>);

/// Registers the namespace on a concrete `SocketIo` (socketioxide only allows `ns` on
/// a defined adapter type, so this is a macro rather than a generic function); with a
/// remote adapter the result is a future that subscribes to the backplane.
#[macro_export]
macro_rules! register_realtime {
    ($io:expr) => {{
        use socketioxide::handler::ConnectHandler as _;
        $io.ns("/", $crate::realtime::on_connect.with($crate::realtime::authenticate))
    }};
}

/// Connect middleware: token (or session cookie) and Origin, then the Scope.
pub async fn authenticate<A: Adapter>(
    socket: SocketRef<A>,
    TryData(auth): TryData<HandshakeAuth>,
    State(state): State<AppState>,
) -> Result<(), Refused> {
    let parts = socket.req_parts();
    if parts.headers.contains_key(axum::http::header::ORIGIN) && !origin_allowed(&parts.headers, &state.allowed_origins)
    {
        return Err(Refused("origin not allowed"));
    }
    let token = auth
        .ok()
        .and_then(|a| a.token)
        .filter(|t| !t.is_empty())
        .or_else(|| CookieJar::from_headers(&parts.headers).get(auth::SESSION_COOKIE).map(|c| c.value().to_string()))
        .ok_or(Refused("unauthorized"))?;
    let scope = auth::service::authenticate(&state, &token).await.map_err(|_| Refused("unauthorized"))?;
    socket.extensions.insert(scope);
    socket.extensions.insert(SocketToken(token));
    Ok(())
}

/// The token a socket connected with, re-checked while the socket lives.
#[derive(Clone)]
struct SocketToken(String);

/// Keeps a socket's access true to its token: at the login token's expiry, and every
/// `ATENDE_SOCKET_RECHECK_SECS`, the token is checked again. A token that no longer
/// authenticates (expired, session ended, API token revoked, user deactivated) gets
/// `force_logout` and the socket is closed; a changed role or team membership closes
/// the socket so that the client reconnects into the rooms its new access allows.
async fn watch_access<A: Adapter>(socket: SocketRef<A>, state: AppState, token: String, joined_as: Scope) {
    let every = std::time::Duration::from_secs(state.config.socket_recheck_secs.max(1));
    // A login token's own expiry (API tokens' expiry is checked by `authenticate`).
    let expires_at = state.tokens.verify(&token).map(|claims| claims.exp);
    loop {
        let wait = match expires_at {
            // The verifier allows 5 s of leeway: wake just after it.
            Some(exp) => {
                let left = exp.saturating_add(6).saturating_sub(chrono::Utc::now().timestamp()).max(0);
                every.min(std::time::Duration::from_secs(left.unsigned_abs()))
            }
            None => every,
        };
        tokio::time::sleep(wait).await;
        if !socket.connected() {
            return;
        }
        let reason = match auth::service::authenticate(&state, &token).await {
            Ok(now) if same_access(&now, &joined_as) => continue,
            Ok(_) => {
                let _ = socket.disconnect();
                return;
            }
            // The database did not answer: not a reason to close anything.
            Err(crate::error::AppError::Unavailable(_) | crate::error::AppError::Internal(_)) => continue,
            Err(crate::error::AppError::TenantSuspended) => RevokeReason::TenantSuspended,
            Err(_) if expires_at.is_some_and(|exp| exp <= chrono::Utc::now().timestamp()) => RevokeReason::Expired,
            Err(_) => RevokeReason::AccessRevoked,
        };
        let _ = socket.emit("force_logout", &ForceLogout { reason });
        let _ = socket.disconnect();
        return;
    }
}

fn same_access(now: &Scope, then: &Scope) -> bool {
    let sorted = |ids: &[Uuid]| {
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids
    };
    now.role == then.role
        && sorted(&now.team_ids) == sorted(&then.team_ids)
        && sorted(&now.supervised_team_ids) == sorted(&then.supervised_team_ids)
}

/// Joins the socket's rooms and wires its client events.
pub async fn on_connect<A: Adapter>(socket: SocketRef<A>, State(state): State<AppState>) {
    let Some(scope) = socket.extensions.get::<Scope>() else {
        let _ = socket.disconnect();
        return;
    };
    let mut joined = vec![rooms::user(scope.tenant_id, scope.user_id), rooms::inbox(scope.tenant_id)];
    joined.extend(scope.team_ids.iter().chain(&scope.supervised_team_ids).map(|t| rooms::team(scope.tenant_id, *t)));
    if scope.is_at_least(Role::Manager) {
        joined.push(rooms::managers(scope.tenant_id));
    } else {
        // Every room an agent could hear conversations through; the fan-out picks among
        // them by the tenant's `agentVisibility`.
        joined.push(rooms::agents(scope.tenant_id));
        joined.push(rooms::unqueued(scope.tenant_id));
        joined.extend(scope.team_ids.iter().map(|t| rooms::team_queue(scope.tenant_id, *t)));
    }
    // Presence: admins hear every agent, managers the agents of the teams they supervise.
    if scope.is_at_least(Role::Admin) {
        joined.push(rooms::all_presence(scope.tenant_id));
    } else if scope.is_at_least(Role::Manager) {
        joined.extend(scope.supervised_team_ids.iter().map(|t| rooms::team_presence(scope.tenant_id, *t)));
    }
    if let Some(session) = scope.session_id {
        joined.push(rooms::session(scope.tenant_id, session));
    }
    socket.join(joined);
    if let Some(SocketToken(token)) = socket.extensions.get::<SocketToken>() {
        tokio::spawn(watch_access(socket.clone(), state.clone(), token, scope.clone()));
    }
    let quota =
        Quota::per_second(NonZeroU32::new(10).expect("non-zero")).allow_burst(NonZeroU32::new(30).expect("non-zero"));
    socket.extensions.insert(Throttle(Arc::new(RateLimiter::direct(quota))));
    metrics::gauge!("socket_connections").increment(1.0);
    socket.on_disconnect(async || metrics::gauge!("socket_connections").decrement(1.0));
    socket.on("join_conversation", join_conversation);
    socket.on("leave_conversation", leave_conversation);
    // A manager/admin socket starts with the presence of the agents it supervises
    // (after the handlers are registered: this awaits the database).
    if scope.is_at_least(Role::Manager) {
        match productivity::board::snapshot(&state, &scope).await {
            Ok(agents) => {
                let _ = socket.emit("presence_snapshot", &productivity::model::PresenceBoard { agents });
            }
            Err(e) => tracing::warn!(error = %e, "presence snapshot failed"),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ConversationRef {
    conversation_id: Uuid,
}

fn throttled<A: Adapter>(socket: &SocketRef<A>) -> bool {
    socket.extensions.get::<Throttle>().is_some_and(|t| t.0.check().is_err())
}

async fn join_conversation<A: Adapter>(
    socket: SocketRef<A>,
    State(state): State<AppState>,
    Data(body): Data<ConversationRef>,
    ack: AckSender<A>,
) {
    if throttled(&socket) {
        let _ = ack.send(&json!({ "ok": false, "error": "rate_limited" }));
        return;
    }
    let Some(scope) = socket.extensions.get::<Scope>() else { return };
    match inbox::service::conversation(&state, &scope, body.conversation_id).await {
        Ok(_) => {
            socket.join(rooms::conversation(scope.tenant_id, body.conversation_id));
            let _ = ack.send(&json!({ "ok": true }));
        }
        _ => {
            let _ = ack.send(&json!({ "ok": false, "error": "not_found" }));
        }
    }
}

async fn leave_conversation<A: Adapter>(socket: SocketRef<A>, Data(body): Data<ConversationRef>, ack: AckSender<A>) {
    if throttled(&socket) {
        let _ = ack.send(&json!({ "ok": false, "error": "rate_limited" }));
        return;
    }
    let Some(scope) = socket.extensions.get::<Scope>() else { return };
    socket.leave(rooms::conversation(scope.tenant_id, body.conversation_id));
    let _ = ack.send(&json!({ "ok": true }));
}
