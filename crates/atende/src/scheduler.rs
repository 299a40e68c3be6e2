//! Periodic work that must run once per cluster per tick (snooze wake-ups, outbox
//! pruning, the presence sweep). Leadership is a PostgreSQL transaction-level
//! advisory lock taken for the tick; SQLite is single-node, so every tick runs there.
//! Every instance also writes its own in-memory activity notes each tick. The first
//! tick runs at start, so a restart closes abandoned work sessions at once.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseBackend, Statement, TransactionTrait};
use tokio::{sync::watch, task::JoinHandle};

use crate::{inbox, productivity, state::AppState};

/// Advisory-lock key of the scheduler ("atende-s" as bytes).
pub const LEADER_KEY: i64 = 0x6174_656e_6465_2d73;

/// How long delivered events stay in the outbox (for replays after a definition change
/// and for investigating); events a subscriber has not handled yet are always kept.
const EVENT_RETENTION: chrono::Duration = chrono::Duration::days(3);

/// Runs `tick` every `every` until `stop` turns true.
pub fn spawn(state: AppState, every: Duration, mut stop: watch::Receiver<bool>) -> JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            productivity::service::flush_seen(&state).await;
            if let Err(e) = tick(&state).await {
                tracing::warn!(error = %e, "scheduler tick failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(every) => {}
                _ = stop.changed() => {}
            }
            if *stop.borrow() {
                break;
            }
        }
    })
}

/// One round of periodic work, if this instance wins leadership for it.
pub async fn tick(state: &AppState) -> anyhow::Result<bool> {
    let txn = state.db.begin().await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        let row = txn
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Postgres,
                format!("SELECT pg_try_advisory_xact_lock({LEADER_KEY}) AS leader"),
            ))
            .await?;
        let leader = row.map(|r| r.try_get::<bool>("", "leader")).transpose()?.unwrap_or(false);
        if !leader {
            txn.rollback().await?;
            return Ok(false);
        }
    }
    // The lock lives until this transaction ends; the work itself uses the pool.
    let woke = inbox::service::wake_snoozed(state).await?;
    if woke > 0 {
        tracing::info!(woke, "snoozed conversations woke up");
    }
    let swept = productivity::service::sweep(state).await?;
    if swept.idle + swept.ended > 0 {
        tracing::info!(idle = swept.idle, ended = swept.ended, "presence sweep");
    }
    let pruned = crate::events::outbox::prune(&state.db, chrono::Utc::now() - EVENT_RETENTION).await?;
    if pruned > 0 {
        tracing::debug!(pruned, "old outbox events pruned");
    }
    txn.commit().await?;
    Ok(true)
}
