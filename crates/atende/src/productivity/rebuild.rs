//! `atende productivity rebuild --from DATE`: re-projects the outbox events recorded
//! since DATE onto the metrics tables (after a change of definitions). The productivity
//! events and the facts from DATE on are forgotten, the `productivity-metrics` cursor
//! goes back to DATE, and the projector runs until it has caught up. The outbox keeps
//! delivered events for 3 days: a DATE before its oldest event is refused when
//! productivity events were recorded in between (they could not be re-projected). Run it
//! with the servers stopped (their dispatcher would project the same events at once).

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use super::{
    facts_store,
    projector::{METRICS, MetricsProjector},
};
use crate::events::{dispatcher, outbox};

/// What a rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rebuilt {
    /// Productivity events forgotten (recorded at or after `from`).
    pub forgotten: u64,
    /// Outbox events delivered again.
    pub replayed: usize,
    /// Productivity events after the rebuild.
    pub events: u64,
}

/// Re-projects everything recorded since `from`.
pub async fn rebuild(db: &DatabaseConnection, from: DateTime<Utc>) -> anyhow::Result<Rebuilt> {
    let Some(oldest) = outbox::oldest(db).await? else {
        anyhow::bail!("the outbox is empty: there is nothing to re-project");
    };
    if oldest > from && facts_store::platform_any_event_between(db, from, oldest).await? {
        anyhow::bail!("the outbox keeps events from {oldest} on only; choose --from at or after it");
    }
    let start = outbox::position_before(db, from).await?;
    let txn = crate::db::begin_write(db).await?;
    let forgotten = facts_store::platform_forget_since(&txn, from).await?;
    if let Some(start) = start {
        outbox::rewind(&txn, METRICS, start).await?;
    }
    txn.commit().await?;
    let projector = MetricsProjector { db: db.clone() };
    let mut replayed = 0;
    loop {
        let n = dispatcher::deliver_pending(db, &projector, false).await?;
        if n == 0 {
            break;
        }
        replayed += n;
    }
    let events = facts_store::platform_count_events(db).await?;
    Ok(Rebuilt { forgotten, replayed, events })
}
