//! Liveness, readiness and Prometheus metrics.

use axum::{extract::State, http::header, response::IntoResponse};
use serde_json::json;

use crate::{db, error::AppError, state::AppState};

/// `GET /healthz`: the process is up.
pub async fn healthz() -> impl IntoResponse {
    axum::Json(json!({ "status": "ok" }))
}

/// `GET /readyz`: the database answers.
pub async fn readyz(State(state): State<AppState>) -> Result<impl IntoResponse, AppError> {
    db::ping(&state.db).await.map_err(|e| {
        tracing::warn!(error = %e, "readiness check failed");
        AppError::Unavailable("Database unavailable".into())
    })?;
    Ok(axum::Json(json!({ "status": "ready" })))
}

/// `GET /metrics`: Prometheus text format.
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics.render())
}
