//! The domain-event outbox: every event is written in the transaction of the change
//! that caused it, and delivered from here to named subscribers, each with its own
//! cursor. Plus leases: which instance runs cluster-once work (event dispatch).
//!
//! Engine-specific DDL on purpose:
//! - SQLite: `seq INTEGER PRIMARY KEY AUTOINCREMENT` never reuses a number, and since
//!   SQLite has one writer at a time, `seq` order is commit order.
//! - PostgreSQL: sequence values are taken before commit, so a later `seq` can commit
//!   first. Each row also records its transaction id (`txid`, from
//!   `pg_current_xact_id()`); readers only take rows whose transaction is older than the
//!   oldest one still running (`pg_snapshot_xmin`), in `(txid, seq)` order, so a cursor
//!   never skips a row that commits late.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS domain_events (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        txid BIGINT NOT NULL DEFAULT 0,
        tenant_id BLOB,
        kind VARCHAR(64) NOT NULL,
        payload TEXT NOT NULL,
        created_at TIMESTAMP WITH TIME ZONE NOT NULL
    )",
    "CREATE INDEX IF NOT EXISTS ix_domain_events_created ON domain_events (created_at)",
];

const POSTGRES: &[&str] = &[
    "CREATE TABLE IF NOT EXISTS domain_events (
        seq BIGSERIAL PRIMARY KEY,
        txid BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
        tenant_id UUID,
        kind VARCHAR(64) NOT NULL,
        payload TEXT NOT NULL,
        created_at TIMESTAMPTZ NOT NULL
    )",
    "CREATE INDEX IF NOT EXISTS ix_domain_events_position ON domain_events (txid, seq)",
    "CREATE INDEX IF NOT EXISTS ix_domain_events_created ON domain_events (created_at)",
];

const COMMON: &[&str] = &[
    // Where each subscriber is: the last event it handled.
    "CREATE TABLE IF NOT EXISTS event_cursors (
        subscriber VARCHAR(64) PRIMARY KEY,
        txid BIGINT NOT NULL,
        seq BIGINT NOT NULL,
        updated_at TIMESTAMP WITH TIME ZONE NOT NULL
    )",
    // Cluster-once work: the holder renews `until`; another instance takes over when it lapses.
    "CREATE TABLE IF NOT EXISTS leases (
        name VARCHAR(64) PRIMARY KEY,
        holder VARCHAR(128) NOT NULL,
        until TIMESTAMP WITH TIME ZONE NOT NULL
    )",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let engine_specific = match manager.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => POSTGRES,
            _ => SQLITE,
        };
        for sql in engine_specific.iter().chain(COMMON) {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for table in ["leases", "event_cursors", "domain_events"] {
            db.execute_unprepared(&format!("DROP TABLE IF EXISTS {table}")).await?;
        }
        Ok(())
    }
}
