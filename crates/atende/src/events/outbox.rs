//! SQL for the outbox (`domain_events`), subscriber cursors and leases. Platform-level:
//! events name their tenant; nothing here is read on behalf of a user.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::NotSet,
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, OnConflict},
};

use super::DomainEvent;

/// `domain_events` rows.
pub mod event {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "domain_events")]
    pub struct Model {
        /// The event's id: unique forever, increasing.
        #[sea_orm(primary_key)]
        pub seq: i64,
        /// PostgreSQL: the writing transaction's id (delivery order is `(txid, seq)`).
        /// SQLite: 0 (one writer at a time, so `seq` is commit order).
        pub txid: i64,
        pub tenant_id: Option<Uuid>,
        pub kind: String,
        /// The serialised `DomainEvent`.
        pub payload: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `event_cursors` rows: the last event each subscriber handled.
pub mod cursor {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "event_cursors")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub subscriber: String,
        pub txid: i64,
        pub seq: i64,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `leases` rows: who runs a piece of cluster-once work, until when.
pub mod lease {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "leases")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub name: String,
        pub holder: String,
        pub until: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A position in the outbox: events after it are not handled yet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub txid: i64,
    pub seq: i64,
}

/// An event read back from the outbox.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    /// The event id (unique, increasing): idempotency key for subscribers.
    pub seq: i64,
    pub position: Position,
    pub created_at: DateTime<Utc>,
    pub event: DomainEvent,
}

/// Appends events (in the caller's transaction).
pub async fn insert(db: &impl ConnectionTrait, events: &[DomainEvent]) -> Result<(), sea_orm::DbErr> {
    if events.is_empty() {
        return Ok(());
    }
    let now = Utc::now();
    let rows = events
        .iter()
        .map(|e| {
            let payload = serde_json::to_string(e).map_err(|err| sea_orm::DbErr::Custom(err.to_string()))?;
            Ok(event::ActiveModel {
                seq: NotSet,
                // PostgreSQL fills it from the transaction (column default); SQLite keeps 0.
                txid: NotSet,
                tenant_id: Set(Some(e.tenant_id())),
                kind: Set(e.kind().into()),
                payload: Set(payload),
                created_at: Set(now),
            })
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()?;
    event::Entity::insert_many(rows).exec_without_returning(db).await?;
    Ok(())
}

/// Up to `limit` events after `after`, in delivery order. On PostgreSQL only events of
/// transactions older than every running one: a running transaction may still commit
/// events that sort before the ones already visible, and a cursor must never pass them.
pub async fn read_after(
    db: &impl ConnectionTrait,
    after: Position,
    limit: u64,
) -> Result<Vec<StoredEvent>, sea_orm::DbErr> {
    let later = Condition::any()
        .add(event::Column::Txid.gt(after.txid))
        .add(Condition::all().add(event::Column::Txid.eq(after.txid)).add(event::Column::Seq.gt(after.seq)));
    let mut query = event::Entity::find().filter(later);
    if db.get_database_backend() == DatabaseBackend::Postgres {
        query = query.filter(Expr::cust("txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint"));
    }
    let rows = query.order_by_asc(event::Column::Txid).order_by_asc(event::Column::Seq).limit(limit).all(db).await?;
    rows.into_iter()
        .map(|row| {
            let event = serde_json::from_str(&row.payload).map_err(|e| {
                sea_orm::DbErr::Custom(format!("outbox event {} ({}) unreadable: {e}", row.seq, row.kind))
            })?;
            Ok(StoredEvent {
                seq: row.seq,
                position: Position { txid: row.txid, seq: row.seq },
                created_at: row.created_at,
                event,
            })
        })
        .collect()
}

/// The position after the newest visible event (where a new subscriber starts from
/// "now").
pub async fn head(db: &impl ConnectionTrait) -> Result<Position, sea_orm::DbErr> {
    let newest =
        event::Entity::find().order_by_desc(event::Column::Txid).order_by_desc(event::Column::Seq).one(db).await?;
    Ok(newest.map(|e| Position { txid: e.txid, seq: e.seq }).unwrap_or_default())
}

/// A subscriber's cursor, if it has one.
pub async fn find_cursor(db: &impl ConnectionTrait, subscriber: &str) -> Result<Option<Position>, sea_orm::DbErr> {
    let row = cursor::Entity::find_by_id(subscriber.to_string()).one(db).await?;
    Ok(row.map(|r| Position { txid: r.txid, seq: r.seq }))
}

/// A subscriber's cursor, created at `start` the first time it is asked for.
pub async fn cursor(db: &impl ConnectionTrait, subscriber: &str, start: Position) -> Result<Position, sea_orm::DbErr> {
    cursor::Entity::insert(cursor::ActiveModel {
        subscriber: Set(subscriber.into()),
        txid: Set(start.txid),
        seq: Set(start.seq),
        updated_at: Set(Utc::now()),
    })
    .on_conflict(OnConflict::column(cursor::Column::Subscriber).do_nothing().to_owned())
    .exec_without_returning(db)
    .await?;
    let row = cursor::Entity::find_by_id(subscriber.to_string())
        .one(db)
        .await?
        .ok_or_else(|| sea_orm::DbErr::RecordNotFound(format!("cursor {subscriber}")))?;
    Ok(Position { txid: row.txid, seq: row.seq })
}

/// Moves a subscriber's cursor forward (never back).
pub async fn advance(db: &impl ConnectionTrait, subscriber: &str, to: Position) -> Result<(), sea_orm::DbErr> {
    cursor::Entity::update_many()
        .col_expr(cursor::Column::Txid, Expr::value(to.txid))
        .col_expr(cursor::Column::Seq, Expr::value(to.seq))
        .col_expr(cursor::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(cursor::Column::Subscriber.eq(subscriber))
        .filter(
            Condition::any()
                .add(cursor::Column::Txid.lt(to.txid))
                .add(Condition::all().add(cursor::Column::Txid.eq(to.txid)).add(cursor::Column::Seq.lt(to.seq))),
        )
        .exec(db)
        .await?;
    Ok(())
}

/// Takes or renews the lease `name` for `holder` until `until`; `true` when held.
pub async fn acquire_lease(
    db: &impl ConnectionTrait,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool, sea_orm::DbErr> {
    lease::Entity::insert(lease::ActiveModel { name: Set(name.into()), holder: Set(holder.into()), until: Set(now) })
        .on_conflict(OnConflict::column(lease::Column::Name).do_nothing().to_owned())
        .exec_without_returning(db)
        .await?;
    let result = lease::Entity::update_many()
        .col_expr(lease::Column::Holder, Expr::value(holder))
        .col_expr(lease::Column::Until, Expr::value(until))
        .filter(lease::Column::Name.eq(name))
        .filter(Condition::any().add(lease::Column::Holder.eq(holder)).add(lease::Column::Until.lte(now)))
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Gives a lease up (on shutdown), so another instance takes over at once.
pub async fn release_lease(db: &impl ConnectionTrait, name: &str, holder: &str) -> Result<(), sea_orm::DbErr> {
    lease::Entity::update_many()
        .col_expr(lease::Column::Until, Expr::value(DateTime::<Utc>::UNIX_EPOCH))
        .filter(lease::Column::Name.eq(name))
        .filter(lease::Column::Holder.eq(holder))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes events older than `before` that every subscriber has handled.
pub async fn prune(db: &impl ConnectionTrait, before: DateTime<Utc>) -> Result<u64, sea_orm::DbErr> {
    let cursors = cursor::Entity::find().all(db).await?;
    let Some(slowest) = cursors.iter().map(|c| Position { txid: c.txid, seq: c.seq }).min() else { return Ok(0) };
    let handled_by_all = Condition::any()
        .add(event::Column::Txid.lt(slowest.txid))
        .add(Condition::all().add(event::Column::Txid.eq(slowest.txid)).add(event::Column::Seq.lte(slowest.seq)));
    let result = event::Entity::delete_many()
        .filter(event::Column::CreatedAt.lt(before))
        .filter(handled_by_all)
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Moves a subscriber's cursor back to `to` (a rebuild re-projects from there).
pub async fn rewind(db: &impl ConnectionTrait, subscriber: &str, to: Position) -> Result<(), sea_orm::DbErr> {
    cursor(db, subscriber, to).await?;
    cursor::Entity::update_many()
        .col_expr(cursor::Column::Txid, Expr::value(to.txid))
        .col_expr(cursor::Column::Seq, Expr::value(to.seq))
        .col_expr(cursor::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(cursor::Column::Subscriber.eq(subscriber))
        .exec(db)
        .await?;
    Ok(())
}

/// When the oldest event still in the outbox was recorded (`None` when empty).
pub async fn oldest(db: &impl ConnectionTrait) -> Result<Option<DateTime<Utc>>, sea_orm::DbErr> {
    Ok(event::Entity::find().order_by_asc(event::Column::Seq).one(db).await?.map(|e| e.created_at))
}

/// The position just before the first event (in delivery order) recorded at or after
/// `at`: a cursor there delivers every such event again. `None` when there is none.
pub async fn position_before(db: &impl ConnectionTrait, at: DateTime<Utc>) -> Result<Option<Position>, sea_orm::DbErr> {
    let first = event::Entity::find()
        .filter(event::Column::CreatedAt.gte(at))
        .order_by_asc(event::Column::Txid)
        .order_by_asc(event::Column::Seq)
        .one(db)
        .await?;
    Ok(first.map(|e| Position { txid: e.txid, seq: e.seq - 1 }))
}
