//! Delivers outbox events to named subscribers: one task per subscriber, each reading
//! after its own cursor, in order, at least once. A failing subscriber retries with
//! backoff and holds back only itself; a restart resumes from the stored cursors.
//!
//! Cluster-once: only the instance holding the `event-dispatch` lease runs the tasks
//! (renewed every few seconds; another instance takes over when it lapses). The
//! instance that commits wakes its own tasks at once; events committed by another
//! instance are picked up by the leader's short poll.

use std::{sync::Arc, time::Duration};

use chrono::Utc;
use sea_orm::{DatabaseBackend, DatabaseConnection};
use tokio::{
    sync::{Mutex, watch},
    task::JoinHandle,
};

use super::{
    EventBus,
    outbox::{self, Position, StoredEvent},
};

/// The lease that makes dispatch cluster-once.
pub const LEASE: &str = "event-dispatch";
const LEASE_TTL: Duration = Duration::from_secs(15);
const LEASE_RENEW: Duration = Duration::from_secs(5);
/// How often the leader looks for events it was not woken for (other instances).
const POLL: Duration = Duration::from_millis(100);
const BATCH: u64 = 500;

/// Where a new subscriber's cursor starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartAt {
    /// Every event still in the outbox.
    Beginning,
    /// Only events committed from now on (live notifications).
    Now,
}

/// Something that reacts to domain events. `handle` gets batches in order; an error
/// makes the same batch come again later (so handlers are idempotent by event `seq`).
#[async_trait::async_trait]
pub trait Subscriber: Send + Sync + 'static {
    /// Stable name: the cursor's key.
    fn name(&self) -> &'static str;
    fn start_at(&self) -> StartAt {
        StartAt::Beginning
    }
    async fn handle(&self, events: &[StoredEvent]) -> anyhow::Result<()>;
}

/// The running dispatcher.
pub struct Dispatcher {
    stop: watch::Sender<bool>,
    handle: JoinHandle<()>,
}

impl Dispatcher {
    /// Starts dispatching to `subscribers` as `holder` (unique per process) while it
    /// holds the lease `lease` ([`LEASE`] for the server).
    pub fn start(
        db: DatabaseConnection,
        bus: &EventBus,
        lease: &'static str,
        holder: String,
        subscribers: Vec<Arc<dyn Subscriber>>,
    ) -> Dispatcher {
        let (stop, stopped) = watch::channel(false);
        let commits = bus.commits();
        let handle = tokio::spawn(lead(db, lease, holder, subscribers, commits, stopped));
        Dispatcher { stop, handle }
    }

    /// Stops after the batches in flight.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.handle.await;
    }
}

/// Holds the lease and runs the subscriber tasks while it is held.
async fn lead(
    db: DatabaseConnection,
    lease: &'static str,
    holder: String,
    subscribers: Vec<Arc<dyn Subscriber>>,
    commits: watch::Receiver<u64>,
    mut stopped: watch::Receiver<bool>,
) {
    let mut tasks: Vec<(watch::Sender<bool>, JoinHandle<()>)> = Vec::new();
    loop {
        let now = Utc::now();
        let until = now + chrono::Duration::from_std(LEASE_TTL).unwrap_or_default();
        let leader = match outbox::acquire_lease(&db, lease, &holder, now, until).await {
            Ok(held) => held,
            Err(e) => {
                tracing::warn!(error = %e, "event dispatch lease check failed");
                // Keep running while the lease may still be ours; stop once it surely lapsed.
                !tasks.is_empty()
            }
        };
        if leader && tasks.is_empty() {
            tracing::debug!(%holder, "event dispatch: leading");
            for subscriber in &subscribers {
                let (stop, task_stopped) = watch::channel(false);
                let task =
                    tokio::spawn(run_subscriber(db.clone(), Arc::clone(subscriber), commits.clone(), task_stopped));
                tasks.push((stop, task));
            }
        } else if !leader && !tasks.is_empty() {
            tracing::info!(%holder, "event dispatch: lease lost, stepping down");
            stop_all(&mut tasks).await;
        }
        tokio::select! {
            _ = tokio::time::sleep(LEASE_RENEW) => {}
            _ = stopped.changed() => {}
        }
        if *stopped.borrow() {
            break;
        }
    }
    stop_all(&mut tasks).await;
    if let Err(e) = outbox::release_lease(&db, lease, &holder).await {
        tracing::debug!(error = %e, "event dispatch lease not released");
    }
}

async fn stop_all(tasks: &mut Vec<(watch::Sender<bool>, JoinHandle<()>)>) {
    for (stop, _) in tasks.iter() {
        let _ = stop.send(true);
    }
    for (_, task) in tasks.drain(..) {
        let _ = task.await;
    }
}

/// One subscriber's loop: wait for a wake-up or the poll, deliver everything after the
/// cursor, advance it.
async fn run_subscriber(
    db: DatabaseConnection,
    subscriber: Arc<dyn Subscriber>,
    mut commits: watch::Receiver<u64>,
    mut stopped: watch::Receiver<bool>,
) {
    let name = subscriber.name();
    let mut failures = 0u32;
    let mut woken = true;
    loop {
        if *stopped.borrow() {
            break;
        }
        if let Err(e) = deliver_pending(&db, subscriber.as_ref(), woken).await {
            // Only this subscriber waits; the others go on.
            failures = failures.saturating_add(1);
            let wait = retry_delay(failures);
            tracing::warn!(subscriber = name, error = %format!("{e:#}"), retry_ms = wait.as_millis() as u64, "event subscriber failed");
            metrics::counter!("event_delivery_failures_total", "subscriber" => name).increment(1);
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stopped.changed() => {}
            }
            woken = false;
            continue;
        }
        failures = 0;
        woken = tokio::select! {
            changed = commits.changed() => {
                if changed.is_err() {
                    tokio::time::sleep(POLL).await;
                }
                changed.is_ok()
            }
            _ = tokio::time::sleep(POLL) => false,
            _ = stopped.changed() => false,
        };
    }
}

fn retry_delay(failures: u32) -> Duration {
    Duration::from_millis(50u64.saturating_mul(1 << failures.min(8))).min(Duration::from_secs(10))
}

/// Serialises delivery per subscriber name within a process (tests may run one
/// directly beside a dispatcher).
type SubscriberLocks = std::sync::Mutex<std::collections::HashMap<&'static str, Arc<Mutex<()>>>>;

fn lock_for(name: &'static str) -> Arc<Mutex<()>> {
    use std::sync::OnceLock;
    static LOCKS: OnceLock<SubscriberLocks> = OnceLock::new();
    let mut locks = LOCKS.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    Arc::clone(locks.entry(name).or_default())
}

/// Delivers every visible event after the subscriber's cursor; returns how many.
/// `woken`: events were just committed on this node, so on PostgreSQL an empty read
/// means an older transaction is still open: look again shortly instead of waiting
/// for the poll.
pub async fn deliver_pending(
    db: &DatabaseConnection,
    subscriber: &dyn Subscriber,
    woken: bool,
) -> anyhow::Result<usize> {
    let name = subscriber.name();
    let lock = lock_for(name);
    let _serial = lock.lock().await;
    // The start only matters the first time (no cursor yet): no look-up of the head
    // on every round.
    let mut position = match outbox::find_cursor(db, name).await? {
        Some(position) => position,
        None => {
            let start = match subscriber.start_at() {
                StartAt::Beginning => Position::default(),
                StartAt::Now => outbox::head(db).await?,
            };
            outbox::cursor(db, name, start).await?
        }
    };
    let mut delivered = 0;
    let mut empty_retries = if woken && db.get_database_backend() == DatabaseBackend::Postgres { 15 } else { 0 };
    loop {
        let batch = outbox::read_after(db, position, BATCH).await?;
        if batch.is_empty() {
            if empty_retries == 0 || delivered > 0 {
                return Ok(delivered);
            }
            empty_retries -= 1;
            tokio::time::sleep(Duration::from_millis(2)).await;
            continue;
        }
        subscriber.handle(&batch).await?;
        let last = batch.last().map(|e| e.position).unwrap_or(position);
        outbox::advance(db, name, last).await?;
        metrics::counter!("events_delivered_total", "subscriber" => name).increment(batch.len() as u64);
        delivered += batch.len();
        position = last;
        if (batch.len() as u64) < BATCH {
            return Ok(delivered);
        }
    }
}
