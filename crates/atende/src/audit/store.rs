//! Reading the audit log of one tenant.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use super::entity;
use crate::tenancy::Scope;

/// What to read.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub actor_id: Option<Uuid>,
    /// Exact action, or a prefix (`user.`) when `action_prefix` is set.
    pub action: Option<String>,
    pub action_prefix: bool,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Entries of the caller's tenant, newest first, with the total matching.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &Filter,
    limit: u64,
    offset: u64,
) -> Result<(Vec<entity::Model>, u64), sea_orm::DbErr> {
    let mut query = entity::Entity::find().filter(entity::Column::TenantId.eq(scope.tenant_id));
    if let Some(actor) = filter.actor_id {
        query = query.filter(entity::Column::ActorId.eq(actor));
    }
    if let Some(action) = &filter.action {
        query = if filter.action_prefix {
            query.filter(entity::Column::Action.starts_with(action.as_str()))
        } else {
            query.filter(entity::Column::Action.eq(action.as_str()))
        };
    }
    if let Some(from) = filter.from {
        query = query.filter(entity::Column::CreatedAt.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(entity::Column::CreatedAt.lt(to));
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(entity::Column::CreatedAt)
        .order_by_desc(entity::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((rows, total))
}
