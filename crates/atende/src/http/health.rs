//! Liveness, readiness and Prometheus metrics.

use std::sync::atomic::Ordering;

use axum::{
    extract::State,
    http::{HeaderMap, header},
    response::IntoResponse,
};
use serde_json::json;

use crate::{db, error::AppError, state::AppState};

/// `GET /healthz`: the process is up.
pub async fn healthz() -> impl IntoResponse {
    axum::Json(json!({ "status": "ok" }))
}

/// `GET /readyz`: the database answers and, when this process runs job workers, at
/// least one of them is running (a pool whose workers all died cannot run jobs).
pub async fn readyz(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    db::ping(&state.db).await.map_err(|e| {
        tracing::warn!(error = %e, "readiness check failed");
        AppError::Unavailable("Database unavailable".into())
    })?;
    if !state.worker_health.can_run() {
        tracing::warn!("readiness check failed: no job worker is running");
        return Err(AppError::Unavailable("Job workers are not running".into()));
    }
    let health = &state.worker_health;
    Ok(axum::Json(json!({
        "status": "ready",
        "workers": {
            "expected": health.expected.load(Ordering::SeqCst),
            "alive": health.alive.load(Ordering::SeqCst),
            "restarts": health.restarts.load(Ordering::SeqCst),
        },
    })))
}

/// `GET /metrics`: Prometheus text format. With `ATENDE_METRICS_TOKEN` set, only for
/// `Authorization: Bearer <token>` (compared in constant time); with
/// `ATENDE_METRICS_BIND` set, it is served on that address only (see `app::serve`).
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Result<impl IntoResponse, AppError> {
    if let Some(expected) = state.config.metrics_token.as_deref().filter(|t| !t.is_empty()) {
        let given = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        if !bool::from(subtle::ConstantTimeEq::ct_eq(given.as_bytes(), expected.as_bytes())) {
            return Err(AppError::Unauthorized);
        }
    }
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render()))
}
