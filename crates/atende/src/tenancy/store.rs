//! Tenant rows. These are platform-level lookups (login resolves a slug before any
//! Scope exists; the super admin manages all tenants), hence the `platform_` names.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::{TenantStatus, entity};
use crate::db::cache::RowCache;

/// Tenants' rows as webhook routing reads them, once per delivery (see `db::cache`).
static ROUTING: std::sync::LazyLock<RowCache<Uuid, entity::Model>> =
    std::sync::LazyLock::new(|| RowCache::new(std::time::Duration::from_secs(5)));

/// Finds a tenant by its slug (login, CLI).
pub async fn platform_find_by_slug(
    db: &impl ConnectionTrait,
    slug: &str,
) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    entity::Entity::find().filter(entity::Column::Slug.eq(slug)).one(db).await
}

/// Finds a tenant by id.
pub async fn platform_find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    entity::Entity::find_by_id(id).one(db).await
}

/// `platform_find` through the routing cache (webhooks: the tenant's status per
/// delivery). A status change made here shows at once on this instance, within seconds
/// on the others.
pub async fn platform_find_routing(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    ROUTING.get_or_load(id, platform_find(db, id)).await
}

/// Lists every tenant, newest first.
pub async fn platform_list(db: &impl ConnectionTrait) -> Result<Vec<entity::Model>, sea_orm::DbErr> {
    entity::Entity::find().order_by_desc(entity::Column::CreatedAt).all(db).await
}

/// Whether any tenant exists (first-run bootstrap).
pub async fn platform_any(db: &impl ConnectionTrait) -> Result<bool, sea_orm::DbErr> {
    Ok(entity::Entity::find().one(db).await?.is_some())
}

/// Inserts a tenant.
pub async fn platform_insert(
    db: &impl ConnectionTrait,
    slug: &str,
    name: &str,
) -> Result<entity::Model, sea_orm::DbErr> {
    let now = Utc::now();
    entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        slug: Set(slug.to_string()),
        name: Set(name.to_string()),
        status: Set(TenantStatus::Active.as_str().to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        suspended_at: Set(None),
    }
    .insert(db)
    .await
}

/// Sets a tenant's status; `None` when it does not exist.
pub async fn platform_set_status(
    db: &impl ConnectionTrait,
    id: Uuid,
    status: TenantStatus,
) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    ROUTING.forget(&id);
    let Some(tenant) = platform_find(db, id).await? else { return Ok(None) };
    let now = Utc::now();
    let mut active: entity::ActiveModel = tenant.into();
    active.status = Set(status.as_str().to_string());
    active.updated_at = Set(now);
    active.suspended_at = Set(matches!(status, TenantStatus::Suspended).then_some(now));
    Ok(Some(active.update(db).await?))
}
