//! Versioned schema migrations, shared by SQLite and PostgreSQL.
//!
//! Every tenant table carries `tenant_id` first in its unique keys and main indexes
//! (DESIGN.md §3), which also keeps the door open to sharding by tenant.

pub use sea_orm_migration::prelude::*;

mod m20261128_000001_foundation;
mod m20261128_000002_core_loop;
mod m20261128_000003_payments;
mod m20261203_000004_outbox;
mod m20261203_000005_inbound_queue;
mod m20261203_000010_work_sessions;
mod m20261203_000020_search;
mod m20261204_000101_meta_account_unique;
mod m20261204_000201_productivity_facts;
mod m20261204_000301_message_delivery;

/// Rebuilds the search text of contacts and indexes messages not yet indexed (run by
/// the search migration; idempotent).
pub use m20261203_000020_search::backfill as search_backfill;

/// All migrations in order; applied at start and by `atende migrate`.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261128_000001_foundation::Migration),
            Box::new(m20261128_000002_core_loop::Migration),
            Box::new(m20261128_000003_payments::Migration),
            Box::new(m20261203_000004_outbox::Migration),
            Box::new(m20261203_000005_inbound_queue::Migration),
            Box::new(m20261203_000010_work_sessions::Migration),
            Box::new(m20261203_000020_search::Migration),
            Box::new(m20261204_000101_meta_account_unique::Migration),
            Box::new(m20261204_000201_productivity_facts::Migration),
            Box::new(m20261204_000301_message_delivery::Migration),
        ]
    }
}
