//! Creating tenants (with their first admin), suspending them, and super admins.
//! Used by the platform API, the CLI and the first-run bootstrap alike.

use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::json;
use uuid::Uuid;

use super::{entity, store};
use crate::{
    audit::{self, Actor, Entry},
    error::{AppError, AppResult},
    events,
    tenancy::{self, Role, TenantStatus},
    users::{self, service::hash_password, store::NewUser},
};

/// Input for a new tenant and its first admin.
pub struct NewTenant<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub admin_email: &'a str,
    pub admin_password: &'a str,
    pub admin_name: &'a str,
}

/// Creates a tenant and its first admin in one transaction.
pub async fn create_tenant(
    db: &DatabaseConnection,
    actor: Actor,
    input: NewTenant<'_>,
) -> AppResult<(tenancy::entity::Model, users::entity::Model)> {
    let slug = input.slug.trim().to_lowercase();
    tenancy::validate_slug(&slug)?;
    if input.name.trim().is_empty() {
        return Err(AppError::field("name", "is required"));
    }
    if !input.admin_email.contains('@') {
        return Err(AppError::field("adminEmail", "is not an email address"));
    }
    if input.admin_password.chars().count() < 8 {
        return Err(AppError::field("adminPassword", "must have at least 8 characters"));
    }
    let hash = hash_password(input.admin_password).await?;
    let txn = crate::db::begin_write(db).await?;
    let tenant =
        tenancy::store::platform_insert(&txn, &slug, input.name.trim()).await.map_err(|e| match AppError::from(e) {
            AppError::Conflict { .. } => AppError::conflict("slug_taken", "A workspace with this slug already exists"),
            other => other,
        })?;
    let admin = users::store::platform_insert(
        &txn,
        tenant.id,
        NewUser {
            email: input.admin_email.trim(),
            name: input.admin_name.trim(),
            password_hash: &hash,
            role: Role::Admin,
        },
    )
    .await?;
    audit::insert(
        &txn,
        Some(tenant.id),
        actor,
        Entry::new("tenant.created", "tenant", tenant.id).details(json!({ "slug": slug })),
    )
    .await?;
    txn.commit().await?;
    Ok((tenant, admin))
}

/// Suspends or reactivates a tenant; a suspended tenant's users cannot sign in.
pub async fn set_status(
    db: &impl ConnectionTrait,
    actor: Actor,
    id: Uuid,
    status: TenantStatus,
) -> AppResult<tenancy::entity::Model> {
    let tenant = tenancy::store::platform_set_status(db, id, status).await?.ok_or(AppError::NotFound)?;
    let action = match status {
        TenantStatus::Suspended => "tenant.suspended",
        TenantStatus::Active => "tenant.reactivated",
    };
    audit::insert(db, Some(id), actor, Entry::new(action, "tenant", id)).await?;
    Ok(tenant)
}

/// Suspends a tenant and closes its live sockets.
pub async fn suspend(state: &crate::state::AppState, actor: Actor, id: Uuid) -> AppResult<tenancy::entity::Model> {
    let txn = crate::db::begin_write(&state.db).await?;
    let tenant = set_status(&txn, actor, id, TenantStatus::Suspended).await?;
    let revoked = events::AccessRevoked {
        tenant_id: id,
        user_id: None,
        session_id: None,
        reason: events::RevokeReason::TenantSuspended,
        at: Some(state.now()),
    };
    events::record(&txn, vec![revoked.into()]).await?;
    events::commit(txn, &state.events).await?;
    Ok(tenant)
}

/// Creates a platform super admin.
pub async fn create_super_admin(
    db: &impl ConnectionTrait,
    email: &str,
    password: &str,
    name: &str,
) -> AppResult<entity::Model> {
    if !email.contains('@') {
        return Err(AppError::field("email", "is not an email address"));
    }
    if password.chars().count() < 8 {
        return Err(AppError::field("password", "must have at least 8 characters"));
    }
    let hash = hash_password(password).await?;
    let admin = store::insert_admin(db, email, name, &hash).await.map_err(|e| match AppError::from(e) {
        AppError::Conflict { .. } => AppError::conflict("email_taken", "A super admin with this email already exists"),
        other => other,
    })?;
    audit::insert(db, None, Actor::System, Entry::new("platform.admin_created", "platform_admin", admin.id)).await?;
    Ok(admin)
}
