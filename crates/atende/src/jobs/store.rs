//! SQL for the job queue.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait, LockBehavior, LockType, Query},
};
use uuid::Uuid;

use super::{DEFAULT_QUEUE, JobPayload, entity};
use crate::tenancy::Scope;

/// Job states.
pub const QUEUED: &str = "queued";
pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const DEAD: &str = "dead";

/// Adds a job; with a dedupe key, a second enqueue of the same key is a no-op (`None`).
pub async fn enqueue(
    db: &impl ConnectionTrait,
    tenant_id: Option<Uuid>,
    payload: &JobPayload,
    dedupe_key: Option<String>,
) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    let now = Utc::now();
    let value = serde_json::to_value(payload).map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
    let result = entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        queue: Set(DEFAULT_QUEUE.into()),
        kind: Set(payload.kind().into()),
        payload: Set(value),
        status: Set(QUEUED.into()),
        attempts: Set(0),
        max_attempts: Set(payload.max_attempts()),
        run_at: Set(now),
        locked_by: Set(None),
        locked_until: Set(None),
        last_error: Set(None),
        dedupe_key: Set(dedupe_key),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await;
    match result {
        Ok(job) => Ok(Some(job)),
        Err(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Adds a job that becomes due at `run_at` (periodic checks reschedule themselves so).
pub async fn enqueue_at(
    db: &impl ConnectionTrait,
    tenant_id: Option<Uuid>,
    payload: &JobPayload,
    run_at: DateTime<Utc>,
) -> Result<entity::Model, sea_orm::DbErr> {
    let now = Utc::now();
    let value = serde_json::to_value(payload).map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
    entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        queue: Set(DEFAULT_QUEUE.into()),
        kind: Set(payload.kind().into()),
        payload: Set(value),
        status: Set(QUEUED.into()),
        attempts: Set(0),
        max_attempts: Set(payload.max_attempts()),
        run_at: Set(run_at),
        locked_by: Set(None),
        locked_until: Set(None),
        last_error: Set(None),
        dedupe_key: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// Claims the next due job (or one whose worker's lease ran out), in one statement.
pub async fn claim(
    db: &impl ConnectionTrait,
    worker_id: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    let due = Condition::any()
        .add(Condition::all().add(entity::Column::Status.eq(QUEUED)).add(entity::Column::RunAt.lte(now)))
        .add(Condition::all().add(entity::Column::Status.eq(RUNNING)).add(entity::Column::LockedUntil.lt(now)));
    let mut next = Query::select()
        .column(entity::Column::Id)
        .from(entity::Entity)
        .cond_where(Condition::all().add(entity::Column::Queue.eq(DEFAULT_QUEUE)).add(due))
        .order_by(entity::Column::RunAt, sea_orm::Order::Asc)
        .limit(1)
        .to_owned();
    if db.get_database_backend() == DatabaseBackend::Postgres {
        // Concurrent workers skip each other's rows instead of queueing on the lock.
        next.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let mut claimed = entity::Entity::update_many()
        .col_expr(entity::Column::Status, Expr::value(RUNNING))
        .col_expr(entity::Column::Attempts, Expr::col(entity::Column::Attempts).add(1))
        .col_expr(entity::Column::LockedBy, Expr::value(worker_id))
        .col_expr(entity::Column::LockedUntil, Expr::value(lease_until))
        .col_expr(entity::Column::UpdatedAt, Expr::value(now))
        .filter(entity::Column::Id.in_subquery(next))
        .exec_with_returning(db)
        .await?;
    Ok(claimed.pop())
}

/// Marks a job done (only if this worker still holds it).
pub async fn complete(db: &impl ConnectionTrait, id: Uuid, worker_id: &str) -> Result<(), sea_orm::DbErr> {
    release(db, id, worker_id, DONE, None, None).await
}

/// Puts a job back in the queue to run at `run_at`.
pub async fn retry_at(
    db: &impl ConnectionTrait,
    id: Uuid,
    worker_id: &str,
    run_at: DateTime<Utc>,
    error: &str,
) -> Result<(), sea_orm::DbErr> {
    release(db, id, worker_id, QUEUED, Some(run_at), Some(error)).await
}

/// Keeps a job as dead, with its last error, for admins to see.
pub async fn bury(db: &impl ConnectionTrait, id: Uuid, worker_id: &str, error: &str) -> Result<(), sea_orm::DbErr> {
    release(db, id, worker_id, DEAD, None, Some(error)).await
}

/// Unlocks a job into `status`. Guarded by `locked_by`, so a worker whose lease expired
/// (and whose job another worker took over) cannot overwrite the newer outcome.
async fn release(
    db: &impl ConnectionTrait,
    id: Uuid,
    worker_id: &str,
    status: &str,
    run_at: Option<DateTime<Utc>>,
    error: Option<&str>,
) -> Result<(), sea_orm::DbErr> {
    let mut update = entity::Entity::update_many()
        .col_expr(entity::Column::Status, Expr::value(status))
        .col_expr(entity::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(entity::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(entity::Column::UpdatedAt, Expr::value(Utc::now()));
    if let Some(run_at) = run_at {
        update = update.col_expr(entity::Column::RunAt, Expr::value(run_at));
    }
    if let Some(error) = error {
        update = update.col_expr(entity::Column::LastError, Expr::value(error));
    }
    update.filter(entity::Column::Id.eq(id)).filter(entity::Column::LockedBy.eq(worker_id)).exec(db).await?;
    Ok(())
}

/// Jobs of the caller's tenant in a state, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    status: Option<&str>,
    limit: u64,
    offset: u64,
) -> Result<(Vec<entity::Model>, u64), sea_orm::DbErr> {
    let mut query = entity::Entity::find().filter(entity::Column::TenantId.eq(scope.tenant_id));
    if let Some(status) = status {
        query = query.filter(entity::Column::Status.eq(status));
    }
    let total = query.clone().count(db).await?;
    let rows = query.order_by_desc(entity::Column::UpdatedAt).limit(limit).offset(offset).all(db).await?;
    Ok((rows, total))
}

/// Puts one of the caller's dead jobs back in the queue with fresh attempts.
pub async fn requeue_dead(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<bool, sea_orm::DbErr> {
    let now = Utc::now();
    let result = entity::Entity::update_many()
        .col_expr(entity::Column::Status, Expr::value(QUEUED))
        .col_expr(entity::Column::Attempts, Expr::value(0))
        .col_expr(entity::Column::RunAt, Expr::value(now))
        .col_expr(entity::Column::UpdatedAt, Expr::value(now))
        .filter(entity::Column::Id.eq(id))
        .filter(entity::Column::TenantId.eq(scope.tenant_id))
        .filter(entity::Column::Status.eq(DEAD))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}
