//! `/api/v1/interaction-categories` (the picker: active ones, anyone signed in) and
//! `/api/v1/settings/interaction-categories` (CRUD: managers and admins).

use axum::{extract::State, http::StatusCode};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::categories::{self, CategoryEnvelope, CategoryList, NewCategory, UpdateCategory};
use crate::{
    error::AppResult,
    http::{Json, Path},
    state::AppState,
    tenancy::Scope,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(active_categories))
        .routes(routes!(list_categories, create_category))
        .routes(routes!(update_category, delete_category))
}

/// Active categories, for tagging conversations (paths like `Suporte › Faturamento`).
#[utoipa::path(get, path = "/interaction-categories", tag = "categories",
    responses((status = 200, body = CategoryList)))]
pub async fn active_categories(State(state): State<AppState>, scope: Scope) -> AppResult<axum::Json<CategoryList>> {
    Ok(axum::Json(CategoryList { items: categories::active(&state, &scope).await? }))
}

/// Every category that is not deleted, active or not (managers and admins).
#[utoipa::path(get, path = "/settings/interaction-categories", tag = "categories",
    responses((status = 200, body = CategoryList), (status = 403)))]
pub async fn list_categories(State(state): State<AppState>, scope: Scope) -> AppResult<axum::Json<CategoryList>> {
    Ok(axum::Json(CategoryList { items: categories::list(&state, &scope).await? }))
}

/// Creates a category; names are unique per parent (`category_name_taken`).
#[utoipa::path(post, path = "/settings/interaction-categories", tag = "categories", request_body = NewCategory,
    responses((status = 201, body = CategoryEnvelope), (status = 403), (status = 409, description = "category_name_taken"),
        (status = 422)))]
pub async fn create_category(
    State(state): State<AppState>,
    scope: Scope,
    Json(input): Json<NewCategory>,
) -> AppResult<(StatusCode, axum::Json<CategoryEnvelope>)> {
    let category = categories::create(&state, &scope, input).await?;
    Ok((StatusCode::CREATED, axum::Json(CategoryEnvelope { category })))
}

/// Renames, moves, describes, activates or deactivates a category.
#[utoipa::path(put, path = "/settings/interaction-categories/{id}", tag = "categories",
    params(("id" = Uuid, Path)), request_body = UpdateCategory,
    responses((status = 200, body = CategoryEnvelope), (status = 403), (status = 404),
        (status = 409, description = "category_name_taken"), (status = 422)))]
pub async fn update_category(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
    Json(patch): Json<UpdateCategory>,
) -> AppResult<axum::Json<CategoryEnvelope>> {
    Ok(axum::Json(CategoryEnvelope { category: categories::update(&state, &scope, id, patch).await? }))
}

/// Deletes a category (softly: conversations keep it for the reports).
#[utoipa::path(delete, path = "/settings/interaction-categories/{id}", tag = "categories",
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 403), (status = 404), (status = 409, description = "category_has_children")))]
pub async fn delete_category(
    State(state): State<AppState>,
    scope: Scope,
    Path(id): Path<Uuid>,
) -> AppResult<StatusCode> {
    categories::delete(&state, &scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
