//! Canned-response rules: managers and admins write, short codes unique per tenant.

use uuid::Uuid;

use super::{entity, store};
use crate::{
    error::{AppError, AppResult},
    state::AppState,
    tenancy::{Role, Scope},
};

fn short_code_conflict(e: sea_orm::DbErr) -> AppError {
    match AppError::from(e) {
        AppError::Conflict { .. } => {
            AppError::conflict("short_code_taken", "A canned response with this short code already exists")
        }
        other => other,
    }
}

/// Content must say something once trimmed.
fn content_of(content: &str) -> AppResult<&str> {
    let content = content.trim();
    if content.is_empty() { Err(AppError::field("content", "must not be blank")) } else { Ok(content) }
}

/// Canned responses, optionally searched.
pub async fn list(state: &AppState, scope: &Scope, search: Option<&str>) -> AppResult<Vec<entity::Model>> {
    Ok(store::list(&state.db, scope, search).await?)
}

/// One canned response, or 404.
pub async fn get(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<entity::Model> {
    store::get(&state.db, scope, id).await?.ok_or(AppError::NotFound)
}

/// Creates a canned response (managers and admins).
pub async fn create(state: &AppState, scope: &Scope, short_code: &str, content: &str) -> AppResult<entity::Model> {
    scope.require(Role::Manager)?;
    store::insert(&state.db, scope, short_code, content_of(content)?).await.map_err(short_code_conflict)
}

/// Changes a canned response (managers and admins).
pub async fn update(
    state: &AppState,
    scope: &Scope,
    id: Uuid,
    short_code: Option<&str>,
    content: Option<&str>,
) -> AppResult<entity::Model> {
    scope.require(Role::Manager)?;
    let content = content.map(content_of).transpose()?;
    let current = store::get(&state.db, scope, id).await?.ok_or(AppError::NotFound)?;
    store::update(&state.db, scope, current, short_code, content).await.map_err(short_code_conflict)
}

/// Deletes a canned response (managers and admins).
pub async fn delete(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<()> {
    scope.require(Role::Manager)?;
    if store::delete(&state.db, scope, id).await? { Ok(()) } else { Err(AppError::NotFound) }
}
