//! SQL for teams and memberships; every tenant-facing function takes the `Scope`.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};
use uuid::Uuid;

use super::entity::{member, team};
use crate::tenancy::Scope;

/// Teams of the caller's tenant, optionally limited to some ids.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    only: Option<&[Uuid]>,
) -> Result<Vec<team::Model>, sea_orm::DbErr> {
    let mut query = team::Entity::find().filter(team::Column::TenantId.eq(scope.tenant_id));
    if let Some(ids) = only {
        query = query.filter(team::Column::Id.is_in(ids.iter().copied()));
    }
    query.order_by_asc(team::Column::Name).all(db).await
}

/// One team of the caller's tenant.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<Option<team::Model>, sea_orm::DbErr> {
    team::Entity::find_by_id(id).filter(team::Column::TenantId.eq(scope.tenant_id)).one(db).await
}

/// Inserts a team.
pub async fn insert(
    db: &impl ConnectionTrait,
    scope: &Scope,
    name: &str,
    description: Option<&str>,
) -> Result<team::Model, sea_orm::DbErr> {
    let now = Utc::now();
    team::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(scope.tenant_id),
        name: Set(name.to_string()),
        description: Set(description.map(str::to_string)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// Renames / re-describes a team loaded through the scope.
pub async fn update(
    db: &impl ConnectionTrait,
    scope: &Scope,
    current: team::Model,
    name: Option<&str>,
    description: Option<Option<&str>>,
) -> Result<team::Model, sea_orm::DbErr> {
    let mut active = current.into_active_model();
    active.tenant_id = Set(scope.tenant_id);
    if let Some(name) = name {
        active.name = Set(name.to_string());
    }
    if let Some(description) = description {
        active.description = Set(description.map(str::to_string));
    }
    active.updated_at = Set(Utc::now());
    active.update(db).await
}

/// Deletes a team and its memberships.
pub async fn delete(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<bool, sea_orm::DbErr> {
    member::Entity::delete_many()
        .filter(member::Column::TenantId.eq(scope.tenant_id))
        .filter(member::Column::TeamId.eq(id))
        .exec(db)
        .await?;
    let result = team::Entity::delete_many()
        .filter(team::Column::TenantId.eq(scope.tenant_id))
        .filter(team::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// Members of teams in the caller's tenant.
pub async fn members(
    db: &impl ConnectionTrait,
    scope: &Scope,
    team_ids: &[Uuid],
) -> Result<Vec<member::Model>, sea_orm::DbErr> {
    member::Entity::find()
        .filter(member::Column::TenantId.eq(scope.tenant_id))
        .filter(member::Column::TeamId.is_in(team_ids.iter().copied()))
        .order_by_asc(member::Column::CreatedAt)
        .all(db)
        .await
}

/// Adds a member or updates their supervisor flag.
pub async fn upsert_member(
    db: &impl ConnectionTrait,
    scope: &Scope,
    team_id: Uuid,
    user_id: Uuid,
    supervisor: bool,
) -> Result<member::Model, sea_orm::DbErr> {
    let existing = member::Entity::find()
        .filter(member::Column::TenantId.eq(scope.tenant_id))
        .filter(member::Column::TeamId.eq(team_id))
        .filter(member::Column::UserId.eq(user_id))
        .one(db)
        .await?;
    match existing {
        Some(row) => {
            let mut active = row.into_active_model();
            active.supervisor = Set(supervisor);
            active.update(db).await
        }
        None => {
            member::ActiveModel {
                id: Set(Uuid::now_v7()),
                tenant_id: Set(scope.tenant_id),
                team_id: Set(team_id),
                user_id: Set(user_id),
                supervisor: Set(supervisor),
                created_at: Set(Utc::now()),
            }
            .insert(db)
            .await
        }
    }
}

/// Removes a member; false when they were not in the team.
pub async fn remove_member(
    db: &impl ConnectionTrait,
    scope: &Scope,
    team_id: Uuid,
    user_id: Uuid,
) -> Result<bool, sea_orm::DbErr> {
    let result = member::Entity::delete_many()
        .filter(member::Column::TenantId.eq(scope.tenant_id))
        .filter(member::Column::TeamId.eq(team_id))
        .filter(member::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}
