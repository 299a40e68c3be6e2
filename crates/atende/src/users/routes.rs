//! `/api/v1/users`.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use garde::Validate;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::{
    model::{CreateUser, ListUsers, UpdateUser, UserEnvelope, UserList},
    service, store,
};
use crate::{
    error::AppResult,
    http::{Json, Path, Query, paging},
    state::AppState,
    tenancy::{Role, Scope},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users, create_user))
        .routes(routes!(get_user, update_user))
        .routes(routes!(deactivate_user))
}

/// Users of the workspace (managers and admins).
#[utoipa::path(get, path = "/users", tag = "users", params(ListUsers), responses((status = 200, body = UserList)))]
pub async fn list_users(
    State(state): State<AppState>,
    scope: Scope,
    Query(filter): Query<ListUsers>,
) -> AppResult<axum::Json<UserList>> {
    scope.require(Role::Manager)?;
    let (limit, offset) = paging(filter.limit, filter.offset);
    let (rows, total) = store::list(&state.db, &scope, &filter, limit, offset).await?;
    Ok(axum::Json(UserList { users: rows.into_iter().map(Into::into).collect(), total }))
}

/// Creates a user (admins).
#[utoipa::path(post, path = "/users", tag = "users", request_body = CreateUser,
    responses((status = 201, body = UserEnvelope), (status = 403), (status = 409, description = "email_taken")))]
pub async fn create_user(
    State(state): State<AppState>,
    scope: Scope,
    Json(body): Json<CreateUser>,
) -> AppResult<impl IntoResponse> {
    scope.require(Role::Admin)?;
    body.validate()?;
    let user = service::create(&state, &scope, body).await?;
    Ok((StatusCode::CREATED, axum::Json(UserEnvelope { user: user.into() })))
}

/// One user.
#[utoipa::path(get, path = "/users/{id}", tag = "users", params(("id" = Uuid, Path)),
    responses((status = 200, body = UserEnvelope), (status = 404)))]
pub async fn get_user(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<UserEnvelope>> {
    let user = service::get(&state, &scope, id).await?;
    Ok(axum::Json(UserEnvelope { user: user.into() }))
}

/// Changes a user (admins; anyone may change their own name, password, availability).
#[utoipa::path(patch, path = "/users/{id}", tag = "users", params(("id" = Uuid, Path)), request_body = UpdateUser,
    responses((status = 200, body = UserEnvelope), (status = 404), (status = 409)))]
pub async fn update_user(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
    Json(body): Json<UpdateUser>,
) -> AppResult<axum::Json<UserEnvelope>> {
    body.validate()?;
    let user = service::update(&state, &scope, id, body).await?;
    Ok(axum::Json(UserEnvelope { user: user.into() }))
}

/// Deactivates a user and revokes their sessions and tokens (admins).
#[utoipa::path(post, path = "/users/{id}/deactivate", tag = "users", params(("id" = Uuid, Path)),
    responses((status = 200, body = UserEnvelope), (status = 404)))]
pub async fn deactivate_user(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<UserEnvelope>> {
    scope.require(Role::Admin)?;
    let patch = UpdateUser {
        name: None,
        email: None,
        password: None,
        current_password: None,
        role: None,
        active: Some(false),
        availability: None,
    };
    let user = service::update(&state, &scope, id, patch).await?;
    Ok(axum::Json(UserEnvelope { user: user.into() }))
}
