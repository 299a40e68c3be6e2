//! SQL for raw webhook events. Events are looked up by id from jobs (platform level:
//! the job carries no Scope; the event row names its tenant).

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr};
use uuid::Uuid;

use super::entity;

/// Stores a raw event; `None` when the same (channel, key) was stored before.
pub async fn insert(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    channel_id: Uuid,
    provider: &str,
    event_key: &str,
    payload: String,
    content_type: Option<String>,
) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    let result = entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        channel_id: Set(channel_id),
        provider: Set(provider.into()),
        event_key: Set(event_key.into()),
        payload: Set(payload),
        content_type: Set(content_type),
        status: Set("received".into()),
        error: Set(None),
        received_at: Set(Utc::now()),
        processed_at: Set(None),
    }
    .insert(db)
    .await;
    match result {
        Ok(row) => Ok(Some(row)),
        Err(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => Ok(None),
        Err(e) => Err(e),
    }
}

pub async fn platform_get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    entity::Entity::find_by_id(id).one(db).await
}

/// Records the outcome of processing.
pub async fn finish(db: &impl ConnectionTrait, id: Uuid, error: Option<&str>) -> Result<(), sea_orm::DbErr> {
    entity::Entity::update_many()
        .col_expr(entity::Column::Status, Expr::value(if error.is_some() { "failed" } else { "processed" }))
        .col_expr(entity::Column::Error, Expr::value(error.map(str::to_string)))
        .col_expr(entity::Column::ProcessedAt, Expr::value(Utc::now()))
        .filter(entity::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
