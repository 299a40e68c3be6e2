//! SQL for users; every tenant-facing function takes the caller's `Scope`.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
    sea_query::{Expr, ExprTrait, Func, Query},
};
use uuid::Uuid;

use super::{entity, model::ListUsers};
use crate::{
    teams::entity::member,
    tenancy::{Role, Scope},
};

/// Fields of a new user.
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
}

/// Lists users of the caller's tenant with filters and paging.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &ListUsers,
    limit: u64,
    offset: u64,
) -> Result<(Vec<entity::Model>, u64), sea_orm::DbErr> {
    let mut query = entity::Entity::find().filter(entity::Column::TenantId.eq(scope.tenant_id));
    if let Some(visible) = manager_visibility(scope) {
        query = query.filter(visible);
    }
    if let Some(role) = filter.role {
        query = query.filter(entity::Column::Role.eq(role.as_str()));
    }
    if let Some(active) = filter.active {
        query = query.filter(entity::Column::Active.eq(active));
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let pattern = format!("%{}%", q.to_lowercase());
        query = query.filter(
            Condition::any()
                .add(Expr::expr(Func::lower(Expr::col(entity::Column::Name))).like(pattern.clone()))
                .add(entity::Column::Email.like(pattern)),
        );
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_asc(entity::Column::Name)
        .order_by_asc(entity::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((rows, total))
}

/// For a manager (not an admin): only themselves and the members of the teams they
/// supervise (SPEC §1). `None` for admins and the system.
fn manager_visibility(scope: &Scope) -> Option<Condition> {
    if scope.is_system() || scope.is_at_least(Role::Admin) {
        return None;
    }
    let members = Query::select()
        .column(member::Column::UserId)
        .from(member::Entity)
        .cond_where(
            Condition::all()
                .add(member::Column::TenantId.eq(scope.tenant_id))
                .add(member::Column::TeamId.is_in(scope.supervised_team_ids.clone())),
        )
        .to_owned();
    Some(Condition::any().add(entity::Column::Id.eq(scope.user_id)).add(entity::Column::Id.in_subquery(members)))
}

/// Whether a manager may see this user (themselves, or a member of a team they
/// supervise); always true for admins.
pub async fn visible_to(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<bool, sea_orm::DbErr> {
    let Some(visible) = manager_visibility(scope) else { return Ok(true) };
    let found = entity::Entity::find_by_id(id)
        .filter(entity::Column::TenantId.eq(scope.tenant_id))
        .filter(visible)
        .count(db)
        .await?;
    Ok(found > 0)
}

/// One user of the caller's tenant.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    entity::Entity::find_by_id(id).filter(entity::Column::TenantId.eq(scope.tenant_id)).one(db).await
}

/// Several users of the caller's tenant (missing ids are simply absent).
pub async fn get_many(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[Uuid],
) -> Result<Vec<entity::Model>, sea_orm::DbErr> {
    entity::Entity::find()
        .filter(entity::Column::TenantId.eq(scope.tenant_id))
        .filter(entity::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// Inserts a user into the caller's tenant.
pub async fn insert(
    db: &impl ConnectionTrait,
    scope: &Scope,
    new: NewUser<'_>,
) -> Result<entity::Model, sea_orm::DbErr> {
    platform_insert(db, scope.tenant_id, new).await
}

/// Inserts a user into a named tenant (tenant creation, CLI, first-run bootstrap).
pub async fn platform_insert(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    new: NewUser<'_>,
) -> Result<entity::Model, sea_orm::DbErr> {
    let now = Utc::now();
    entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        email: Set(new.email.to_lowercase()),
        name: Set(new.name.to_string()),
        password_hash: Set(new.password_hash.to_string()),
        role: Set(new.role.as_str().to_string()),
        active: Set(true),
        availability: Set("offline".into()),
        created_at: Set(now),
        updated_at: Set(now),
        last_login_at: Set(None),
    }
    .insert(db)
    .await
}

/// Saves changed fields of a user that was loaded through the caller's scope.
pub async fn update(
    db: &impl ConnectionTrait,
    scope: &Scope,
    mut active: entity::ActiveModel,
) -> Result<entity::Model, sea_orm::DbErr> {
    // The row came from `get(scope, …)`; pinning tenant_id keeps it in the scope anyway.
    active.tenant_id = Set(scope.tenant_id);
    active.updated_at = Set(Utc::now());
    active.update(db).await
}

/// Counts active admins of the caller's tenant (never leave a tenant without one).
pub async fn count_active_admins(db: &impl ConnectionTrait, scope: &Scope) -> Result<u64, sea_orm::DbErr> {
    entity::Entity::find()
        .filter(entity::Column::TenantId.eq(scope.tenant_id))
        .filter(entity::Column::Role.eq(Role::Admin.as_str()))
        .filter(entity::Column::Active.eq(true))
        .count(db)
        .await
}
