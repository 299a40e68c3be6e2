//! Rules for managing users: who may change whom, and never a tenant without an admin.

use serde_json::json;
use uuid::Uuid;

use super::{
    entity,
    model::{CreateUser, UpdateUser},
    store::{self, NewUser},
};
use crate::{
    audit::{self, Entry},
    auth::service as auth_service,
    error::{AppError, AppResult},
    security::password,
    state::AppState,
    tenancy::{Role, Scope},
};
use sea_orm::{IntoActiveModel, Set};

/// Hashes off the async runtime (argon2 is deliberately slow).
pub async fn hash_password(plain: &str) -> AppResult<String> {
    let plain = plain.to_string();
    tokio::task::spawn_blocking(move || password::hash(&plain))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(AppError::Internal)
}

/// Creates a user in the caller's tenant (admins only).
pub async fn create(state: &AppState, scope: &Scope, input: CreateUser) -> AppResult<entity::Model> {
    scope.require(Role::Admin)?;
    let hash = hash_password(&input.password).await?;
    let user = store::insert(
        &state.db,
        scope,
        NewUser { email: input.email.trim(), name: input.name.trim(), password_hash: &hash, role: input.role },
    )
    .await
    .map_err(|e| match AppError::from(e) {
        AppError::Conflict { .. } => {
            AppError::conflict("email_taken", "A user with this email already exists in this workspace")
        }
        other => other,
    })?;
    audit::record(&state.db, scope, Entry::new("user.created", "user", user.id).details(json!({ "role": input.role })))
        .await?;
    Ok(user)
}

/// Reads one user; agents may read only themselves.
pub async fn get(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<entity::Model> {
    if !scope.is_at_least(Role::Manager) && id != scope.user_id {
        return Err(AppError::NotFound);
    }
    // Managers see the people of the teams they supervise (SPEC §1), no one else.
    if id != scope.user_id && !store::visible_to(&state.db, scope, id).await? {
        return Err(AppError::NotFound);
    }
    store::get(&state.db, scope, id).await?.ok_or(AppError::NotFound)
}

/// Applies a patch. Admins change anyone; others only their own name, password and availability.
pub async fn update(state: &AppState, scope: &Scope, id: Uuid, patch: UpdateUser) -> AppResult<entity::Model> {
    let is_self = id == scope.user_id;
    let admin_only = patch.role.is_some() || patch.active.is_some() || patch.email.is_some();
    if !scope.is_at_least(Role::Admin) && (!is_self || admin_only) {
        let visible = is_self || scope.is_at_least(Role::Manager) && store::visible_to(&state.db, scope, id).await?;
        return Err(if visible { AppError::Forbidden } else { AppError::NotFound });
    }
    let current = store::get(&state.db, scope, id).await?.ok_or(AppError::NotFound)?;
    let was_admin = current.role == Role::Admin.as_str() && current.active;
    let loses_admin = was_admin && (patch.role.is_some_and(|r| r != Role::Admin) || patch.active == Some(false));
    if loses_admin && store::count_active_admins(&state.db, scope).await? <= 1 {
        return Err(AppError::conflict("last_admin", "A workspace must keep at least one active admin"));
    }
    if patch.active == Some(false) && is_self {
        return Err(AppError::conflict("cannot_deactivate_self", "You cannot deactivate your own account"));
    }
    // A stolen session (or an unattended screen) must not be enough to take the account.
    if is_self && patch.password.is_some() {
        let Some(given) = patch.current_password.as_deref().filter(|p| !p.is_empty()) else {
            return Err(AppError::unprocessable(
                "current_password_required",
                "currentPassword",
                "is required to change your own password",
            ));
        };
        if !auth_service::verify_password(&current.password_hash, given).await? {
            return Err(AppError::unprocessable("current_password_wrong", "currentPassword", "is not your password"));
        }
    }
    let mut active = current.clone().into_active_model();
    if let Some(name) = &patch.name {
        active.name = Set(name.trim().to_string());
    }
    if let Some(email) = &patch.email {
        active.email = Set(email.trim().to_lowercase());
    }
    if let Some(role) = patch.role {
        active.role = Set(role.as_str().to_string());
    }
    if let Some(flag) = patch.active {
        active.active = Set(flag);
    }
    if let Some(availability) = patch.availability {
        active.availability = Set(availability.as_str().to_string());
    }
    if let Some(password) = &patch.password {
        active.password_hash = Set(hash_password(password).await?);
    }
    let updated = store::update(&state.db, scope, active).await.map_err(|e| match AppError::from(e) {
        AppError::Conflict { .. } => {
            AppError::conflict("email_taken", "A user with this email already exists in this workspace")
        }
        other => other,
    })?;
    if patch.active == Some(false) || patch.password.is_some() && !is_self {
        auth_service::revoke_user(state, scope, id).await?;
    } else if patch.password.is_some() {
        // One's own new password: every other session ends, this one stays.
        auth_service::end_other_sessions(state, scope, id).await?;
    }
    let changed: Vec<&str> = [
        patch.name.as_ref().map(|_| "name"),
        patch.email.as_ref().map(|_| "email"),
        patch.role.map(|_| "role"),
        patch.active.map(|_| "active"),
        patch.availability.map(|_| "availability"),
        patch.password.as_ref().map(|_| "password"),
    ]
    .into_iter()
    .flatten()
    .collect();
    // Deactivation and role changes get their own actions, so the log reads at a glance.
    let action = if patch.active == Some(false) { "user.deactivated" } else { "user.updated" };
    let mut details = json!({ "fields": changed });
    if let Some(role) = patch.role.filter(|r| r.as_str() != current.role) {
        details["role"] = json!({ "from": current.role, "to": role.as_str() });
    }
    audit::record(&state.db, scope, Entry::new(action, "user", id).details(details)).await?;
    Ok(updated)
}
