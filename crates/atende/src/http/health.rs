//! Liveness, readiness and Prometheus metrics.

use std::sync::atomic::Ordering;

use axum::{extract::State, http::header, response::IntoResponse};
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

/// `GET /metrics`: Prometheus text format.
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render())
}
