//! `/api/v1/canned-responses`: any member reads, managers and admins write.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use garde::Validate;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::{
    model::{
        CannedResponseEnvelope, CannedResponseList, CreateCannedResponse, ListCannedResponses, UpdateCannedResponse,
    },
    service,
};
use crate::{
    error::AppResult,
    http::{Json, Path, Query},
    state::AppState,
    tenancy::{Role, Scope},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_canned_responses, create_canned_response)).routes(routes!(
        get_canned_response,
        update_canned_response,
        delete_canned_response
    ))
}

/// Canned responses of the workspace by short code.
#[utoipa::path(get, path = "/canned-responses", tag = "canned-responses", params(ListCannedResponses),
    responses((status = 200, body = CannedResponseList)))]
pub async fn list_canned_responses(
    State(state): State<AppState>,
    scope: Scope,
    Query(filter): Query<ListCannedResponses>,
) -> AppResult<axum::Json<CannedResponseList>> {
    let rows = service::list(&state, &scope, filter.search.as_deref()).await?;
    Ok(axum::Json(CannedResponseList { canned_responses: rows.into_iter().map(Into::into).collect() }))
}

/// Creates a canned response (managers and admins).
#[utoipa::path(post, path = "/canned-responses", tag = "canned-responses", request_body = CreateCannedResponse,
    responses((status = 201, body = CannedResponseEnvelope), (status = 403),
        (status = 409, description = "short_code_taken"), (status = 422)))]
pub async fn create_canned_response(
    State(state): State<AppState>,
    scope: Scope,
    Json(body): Json<CreateCannedResponse>,
) -> AppResult<impl IntoResponse> {
    scope.require(Role::Manager)?;
    body.validate()?;
    let created = service::create(&state, &scope, &body.short_code, &body.content).await?;
    Ok((StatusCode::CREATED, axum::Json(CannedResponseEnvelope { canned_response: created.into() })))
}

/// One canned response.
#[utoipa::path(get, path = "/canned-responses/{id}", tag = "canned-responses", params(("id" = Uuid, Path)),
    responses((status = 200, body = CannedResponseEnvelope), (status = 404)))]
pub async fn get_canned_response(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<CannedResponseEnvelope>> {
    Ok(axum::Json(CannedResponseEnvelope { canned_response: service::get(&state, &scope, id).await?.into() }))
}

/// Changes a canned response (managers and admins).
#[utoipa::path(patch, path = "/canned-responses/{id}", tag = "canned-responses", params(("id" = Uuid, Path)),
    request_body = UpdateCannedResponse,
    responses((status = 200, body = CannedResponseEnvelope), (status = 403), (status = 404), (status = 409),
        (status = 422)))]
pub async fn update_canned_response(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
    Json(body): Json<UpdateCannedResponse>,
) -> AppResult<axum::Json<CannedResponseEnvelope>> {
    scope.require(Role::Manager)?;
    body.validate()?;
    let updated = service::update(&state, &scope, id, body.short_code.as_deref(), body.content.as_deref()).await?;
    Ok(axum::Json(CannedResponseEnvelope { canned_response: updated.into() }))
}

/// Deletes a canned response (managers and admins).
#[utoipa::path(delete, path = "/canned-responses/{id}", tag = "canned-responses", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403), (status = 404)))]
pub async fn delete_canned_response(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<StatusCode> {
    scope.require(Role::Manager)?;
    service::delete(&state, &scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
