//! SQL for raw webhook events. Events are looked up by id from jobs (platform level:
//! the job carries no Scope; the event row names its tenant).

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr};
use uuid::Uuid;

use super::entity;

/// A raw delivery to store.
pub struct NewEvent<'a> {
    pub tenant_id: Uuid,
    pub channel_id: Uuid,
    pub provider: &'a str,
    pub event_key: &'a str,
    pub payload: String,
    pub content_type: Option<String>,
    /// `Vec<Normalized>` as JSON.
    pub normalized: String,
    pub lane_hash: i64,
}

/// Stores a raw event; `None` when the same (channel, key) was stored before.
pub async fn insert(db: &impl ConnectionTrait, new: NewEvent<'_>) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    let result = entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(new.tenant_id),
        channel_id: Set(new.channel_id),
        provider: Set(new.provider.into()),
        event_key: Set(new.event_key.into()),
        payload: Set(new.payload),
        content_type: Set(new.content_type),
        status: Set(RECEIVED.into()),
        error: Set(None),
        received_at: Set(Utc::now()),
        processed_at: Set(None),
        normalized: Set(Some(new.normalized)),
        lane_hash: Set(new.lane_hash),
        attempts: Set(0),
        next_attempt_at: Set(None),
    }
    .insert(db)
    .await;
    match result {
        Ok(row) => Ok(Some(row)),
        Err(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Waiting to be applied.
pub const RECEIVED: &str = "received";
pub const PROCESSED: &str = "processed";
pub const FAILED: &str = "failed";

/// The next due deliveries of lane `lane` of `lanes` (all when `lanes` is 1), in
/// arrival order. Platform level: the pipeline serves every tenant.
pub async fn platform_due(
    db: &impl ConnectionTrait,
    lane: i64,
    lanes: i64,
    now: chrono::DateTime<Utc>,
    limit: u64,
) -> Result<Vec<entity::Model>, sea_orm::DbErr> {
    use sea_orm::{Condition, QueryOrder, QuerySelect};
    let mut query = entity::Entity::find().filter(entity::Column::Status.eq(RECEIVED)).filter(
        Condition::any().add(entity::Column::NextAttemptAt.is_null()).add(entity::Column::NextAttemptAt.lte(now)),
    );
    if lanes > 1 {
        use sea_orm::sea_query::ExprTrait;
        query = query.filter(Expr::col(entity::Column::LaneHash).modulo(lanes).eq(lane));
    }
    query.order_by_asc(entity::Column::Id).limit(limit).all(db).await
}

/// Marks deliveries applied (in the transaction that applied them).
pub async fn platform_mark_processed(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<(), sea_orm::DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    entity::Entity::update_many()
        .col_expr(entity::Column::Status, Expr::value(PROCESSED))
        .col_expr(entity::Column::ProcessedAt, Expr::value(Utc::now()))
        .filter(entity::Column::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await?;
    Ok(())
}

/// Leaves a delivery for later (`error` says why), counting the attempt.
pub async fn platform_retry_at(
    db: &impl ConnectionTrait,
    id: Uuid,
    at: chrono::DateTime<Utc>,
    error: &str,
) -> Result<(), sea_orm::DbErr> {
    use sea_orm::sea_query::ExprTrait;
    entity::Entity::update_many()
        .col_expr(entity::Column::Attempts, Expr::col(entity::Column::Attempts).add(1))
        .col_expr(entity::Column::NextAttemptAt, Expr::value(at))
        .col_expr(entity::Column::Error, Expr::value(error))
        .filter(entity::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn platform_get(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    entity::Entity::find_by_id(id).one(db).await
}

/// Records the outcome of processing.
pub async fn finish(db: &impl ConnectionTrait, id: Uuid, error: Option<&str>) -> Result<(), sea_orm::DbErr> {
    entity::Entity::update_many()
        .col_expr(entity::Column::Status, Expr::value(if error.is_some() { FAILED } else { PROCESSED }))
        .col_expr(entity::Column::Error, Expr::value(error.map(str::to_string)))
        .col_expr(entity::Column::ProcessedAt, Expr::value(Utc::now()))
        .filter(entity::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
