//! `/api/v1/teams`.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use garde::Validate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::service::{self, MemberView, TeamView};
use crate::{
    error::AppResult,
    http::{Json, Path},
    state::AppState,
    tenancy::Scope,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_teams, create_team))
        .routes(routes!(get_team, update_team, delete_team))
        .routes(routes!(list_members))
        .routes(routes!(put_member, remove_member))
}

/// `POST /teams` body.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTeam {
    #[garde(length(min = 1, max = 120))]
    pub name: String,
    #[garde(length(max = 2000))]
    pub description: Option<String>,
}

/// `PATCH /teams/{id}` body; `description: null` clears it.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTeam {
    #[garde(length(min = 1, max = 120))]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "crate::http::json::double_option")]
    #[garde(skip)]
    #[schema(value_type = Option<String>)]
    pub description: Option<Option<String>>,
}

/// `PUT /teams/{id}/members/{userId}` body.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutMember {
    #[serde(default)]
    pub supervisor: bool,
}

/// `{teams}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TeamList {
    pub teams: Vec<TeamView>,
}

/// `{team}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TeamEnvelope {
    pub team: TeamView,
}

/// `{members}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberList {
    pub members: Vec<MemberView>,
}

/// `{member}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberEnvelope {
    pub member: MemberView,
}

/// Teams the caller may see (admins: all; managers: supervised and own; agents: own).
#[utoipa::path(get, path = "/teams", tag = "teams", responses((status = 200, body = TeamList)))]
pub async fn list_teams(State(state): State<AppState>, scope: Scope) -> AppResult<axum::Json<TeamList>> {
    Ok(axum::Json(TeamList { teams: service::list(&state, &scope).await? }))
}

/// Creates a team (admins).
#[utoipa::path(post, path = "/teams", tag = "teams", request_body = CreateTeam,
    responses((status = 201, body = TeamEnvelope), (status = 409, description = "team_name_taken")))]
pub async fn create_team(
    State(state): State<AppState>,
    scope: Scope,
    Json(body): Json<CreateTeam>,
) -> AppResult<impl IntoResponse> {
    body.validate()?;
    let team = service::create(&state, &scope, &body.name, body.description.as_deref()).await?;
    let view = service::view(&state, &scope, team.id).await?;
    Ok((StatusCode::CREATED, axum::Json(TeamEnvelope { team: view })))
}

/// One team.
#[utoipa::path(get, path = "/teams/{id}", tag = "teams", params(("id" = Uuid, Path)),
    responses((status = 200, body = TeamEnvelope), (status = 404)))]
pub async fn get_team(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<TeamEnvelope>> {
    Ok(axum::Json(TeamEnvelope { team: service::view(&state, &scope, id).await? }))
}

/// Renames a team or changes its description (admins).
#[utoipa::path(patch, path = "/teams/{id}", tag = "teams", params(("id" = Uuid, Path)), request_body = UpdateTeam,
    responses((status = 200, body = TeamEnvelope), (status = 404)))]
pub async fn update_team(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
    Json(body): Json<UpdateTeam>,
) -> AppResult<axum::Json<TeamEnvelope>> {
    body.validate()?;
    service::update(&state, &scope, id, body.name.as_deref(), body.description.as_ref().map(|d| d.as_deref())).await?;
    Ok(axum::Json(TeamEnvelope { team: service::view(&state, &scope, id).await? }))
}

/// Deletes a team (admins); its members stay users.
#[utoipa::path(delete, path = "/teams/{id}", tag = "teams", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404)))]
pub async fn delete_team(State(state): State<AppState>, scope: Scope, Path(id): Path<Uuid>) -> AppResult<StatusCode> {
    service::delete(&state, &scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Members of a team.
#[utoipa::path(get, path = "/teams/{id}/members", tag = "teams", params(("id" = Uuid, Path)),
    responses((status = 200, body = MemberList), (status = 404)))]
pub async fn list_members(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<MemberList>> {
    Ok(axum::Json(MemberList { members: service::members(&state, &scope, id).await? }))
}

/// Adds a user to a team, or sets whether they supervise it (admins).
#[utoipa::path(put, path = "/teams/{id}/members/{user_id}", tag = "teams",
    params(("id" = Uuid, Path), ("user_id" = Uuid, Path)), request_body = PutMember,
    responses((status = 200, body = MemberEnvelope), (status = 404), (status = 422)))]
pub async fn put_member(
    State(state): State<AppState>,
    scope: Scope,
    Path((id, user_id)): Path<(Uuid, Uuid)>,
    Json(body): Json<PutMember>,
) -> AppResult<axum::Json<MemberEnvelope>> {
    let member = service::put_member(&state, &scope, id, user_id, body.supervisor).await?;
    Ok(axum::Json(MemberEnvelope { member }))
}

/// Removes a user from a team (admins).
#[utoipa::path(delete, path = "/teams/{id}/members/{user_id}", tag = "teams",
    params(("id" = Uuid, Path), ("user_id" = Uuid, Path)), responses((status = 204), (status = 404)))]
pub async fn remove_member(
    State(state): State<AppState>,
    scope: Scope,
    Path((id, user_id)): Path<(Uuid, Uuid)>,
) -> AppResult<StatusCode> {
    service::remove_member(&state, &scope, id, user_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
