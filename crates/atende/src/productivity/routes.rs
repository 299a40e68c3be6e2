//! `/api/v1/activity/*` (any signed-in user; the board for managers and admins) and
//! `/api/v1/settings/productivity` (everyone reads, admins write).

use axum::{extract::State, http::StatusCode};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{
    board,
    model::{ActivityMe, BoardQuery, ListSessions, PresenceBoard, PresenceView, ProductivitySettings, WorkSessionList},
    presence::Signal,
    service,
};
use crate::{
    error::AppResult,
    http::{Json, Query},
    state::AppState,
    tenancy::Scope,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(heartbeat))
        .routes(routes!(went_idle))
        .routes(routes!(went_active))
        .routes(routes!(activity_me))
        .routes(routes!(acknowledge_notice))
        .routes(routes!(list_sessions))
        .routes(routes!(presence_board))
        .routes(routes!(get_productivity_settings, update_productivity_settings))
}

/// "Still here" (no body, or `{}`): the client sends it every ~30 s while its tab is open. Keeps the work
/// session from the server timeout; ends an idle the server had assumed.
#[utoipa::path(post, path = "/activity/heartbeat", tag = "activity",
    responses((status = 200, body = PresenceView), (status = 400, description = "login_session_required (API tokens)")))]
pub async fn heartbeat(State(state): State<AppState>, scope: Scope) -> AppResult<axum::Json<PresenceView>> {
    Ok(axum::Json(service::signal(&state, &scope, Signal::Heartbeat).await?))
}

/// The client's idle timer fired: an idle period starts now.
#[utoipa::path(post, path = "/activity/idle", tag = "activity",
    responses((status = 200, body = PresenceView), (status = 400)))]
pub async fn went_idle(State(state): State<AppState>, scope: Scope) -> AppResult<axum::Json<PresenceView>> {
    Ok(axum::Json(service::signal(&state, &scope, Signal::ClientIdle).await?))
}

/// Input came back: the idle period ends now.
#[utoipa::path(post, path = "/activity/active", tag = "activity",
    responses((status = 200, body = PresenceView), (status = 400)))]
pub async fn went_active(State(state): State<AppState>, scope: Scope) -> AppResult<axum::Json<PresenceView>> {
    Ok(axum::Json(service::signal(&state, &scope, Signal::ClientActive).await?))
}

/// The caller's presence (this device's work session), the settings the client needs
/// and whether the "what is measured" notice was read.
#[utoipa::path(get, path = "/activity/me", tag = "activity", responses((status = 200, body = ActivityMe)))]
pub async fn activity_me(State(state): State<AppState>, scope: Scope) -> AppResult<axum::Json<ActivityMe>> {
    Ok(axum::Json(board::me(&state, &scope).await?))
}

/// The caller read the "what is measured" notice.
#[utoipa::path(post, path = "/activity/notice", tag = "activity", responses((status = 204)))]
pub async fn acknowledge_notice(State(state): State<AppState>, scope: Scope) -> AppResult<StatusCode> {
    board::acknowledge_notice(&state, &scope).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Work sessions with totals and idle periods (newest first, at most 500): agents see
/// their own, managers their supervised agents', admins everyone's.
#[utoipa::path(get, path = "/activity/sessions", tag = "activity", params(ListSessions),
    responses((status = 200, body = WorkSessionList), (status = 404, description = "an agent the caller may not see"),
        (status = 422)))]
pub async fn list_sessions(
    State(state): State<AppState>,
    scope: Scope,
    Query(filter): Query<ListSessions>,
) -> AppResult<axum::Json<WorkSessionList>> {
    let items = board::sessions(&state, &scope, filter.agent_id, filter.from.as_deref(), filter.to.as_deref()).await?;
    Ok(axum::Json(WorkSessionList { items }))
}

/// The live board: presence of every supervised agent (managers: their teams'; admins:
/// everyone), optionally of one team. Socket events keep it current.
#[utoipa::path(get, path = "/activity/board", tag = "activity", params(BoardQuery),
    responses((status = 200, body = PresenceBoard), (status = 403), (status = 404)))]
pub async fn presence_board(
    State(state): State<AppState>,
    scope: Scope,
    Query(filter): Query<BoardQuery>,
) -> AppResult<axum::Json<PresenceBoard>> {
    Ok(axum::Json(PresenceBoard { agents: board::board(&state, &scope, filter.team_id).await? }))
}

/// The remote-work settings (anyone signed in: the client needs the timeouts).
#[utoipa::path(get, path = "/settings/productivity", tag = "settings",
    responses((status = 200, body = ProductivitySettings)))]
pub async fn get_productivity_settings(
    State(state): State<AppState>,
    scope: Scope,
) -> AppResult<axum::Json<ProductivitySettings>> {
    Ok(axum::Json(service::settings(&state, &scope).await?))
}

/// Changes the remote-work settings (admins); the body holds the keys to change.
/// Connected clients get `productivity_settings_updated`.
#[utoipa::path(put, path = "/settings/productivity", tag = "settings", request_body = ProductivitySettings,
    responses((status = 200, body = ProductivitySettings), (status = 403), (status = 422)))]
pub async fn update_productivity_settings(
    State(state): State<AppState>,
    scope: Scope,
    Json(patch): Json<serde_json::Map<String, serde_json::Value>>,
) -> AppResult<axum::Json<ProductivitySettings>> {
    Ok(axum::Json(service::update_settings(&state, &scope, patch).await?))
}
