//! `/api/v1/jobs`: admins see their tenant's failed background work and can retry it.

use axum::{extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::store;
use crate::{
    error::{AppError, AppResult},
    http::{Path, Query, paging},
    state::AppState,
    tenancy::{Role, Scope},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_jobs)).routes(routes!(retry_job))
}

/// Filters for `GET /jobs`.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListJobs {
    /// queued | running | done | dead
    pub state: Option<String>,
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// A job as admins see it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobView {
    pub id: Uuid,
    pub kind: String,
    pub state: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub last_error: Option<String>,
    #[schema(value_type = Object)]
    pub payload: serde_json::Value,
    pub run_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `{jobs, total}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct JobList {
    pub jobs: Vec<JobView>,
    pub total: u64,
}

/// Background jobs of the workspace (admins), e.g. `?state=dead`.
#[utoipa::path(get, path = "/jobs", tag = "jobs", params(ListJobs), responses((status = 200, body = JobList)))]
pub async fn list_jobs(
    State(state): State<AppState>,
    scope: Scope,
    Query(q): Query<ListJobs>,
) -> AppResult<axum::Json<JobList>> {
    scope.require(Role::Admin)?;
    if let Some(s) = q.state.as_deref()
        && !matches!(s, store::QUEUED | store::RUNNING | store::DONE | store::DEAD)
    {
        return Err(AppError::BadRequest {
            code: "invalid_query",
            message: "state must be queued, running, done or dead".into(),
            details: serde_json::Value::Null,
        });
    }
    let (limit, offset) = paging(q.limit, q.offset);
    let (rows, total) = store::list(&state.db, &scope, q.state.as_deref(), limit, offset).await?;
    let jobs = rows
        .into_iter()
        .map(|j| JobView {
            id: j.id,
            kind: j.kind,
            state: j.status,
            attempts: j.attempts,
            max_attempts: j.max_attempts,
            last_error: j.last_error,
            payload: j.payload,
            run_at: j.run_at,
            created_at: j.created_at,
            updated_at: j.updated_at,
        })
        .collect();
    Ok(axum::Json(JobList { jobs, total }))
}

/// Puts a dead job back in the queue (admins).
#[utoipa::path(post, path = "/jobs/{id}/retry", tag = "jobs", params(("id" = Uuid, Path)),
    responses((status = 202), (status = 404)))]
pub async fn retry_job(State(state): State<AppState>, scope: Scope, Path(id): Path<Uuid>) -> AppResult<StatusCode> {
    scope.require(Role::Admin)?;
    if store::requeue_dead(&state.db, &scope, id).await? {
        state.job_notify.notify_one();
        Ok(StatusCode::ACCEPTED)
    } else {
        Err(AppError::NotFound)
    }
}
