//! The inbound pipeline: applies stored webhook deliveries to the inbox in arrival
//! order per sender, many per transaction.
//!
//! Deliveries are partitioned by sender (`lane_hash`): each lane is one task that
//! takes its due rows in arrival order and applies consecutive messages in one
//! transaction (contact capture, conversation, message, events, and the rows marked
//! processed — all or nothing), so a person's messages are stored and shown in the
//! order they arrived, and the cost of a commit is shared by the batch. Other events
//! (delivery statuses, watermarks, connection changes) are applied alone, in order.
//! When a batch fails, its deliveries are applied one at a time, so one bad delivery
//! only delays itself. Cluster-once: only the holder of the `inbound-pipeline` lease
//! runs the lanes.

use std::{collections::HashMap, time::Duration};

use chrono::Utc;
use tokio::{sync::watch, task::JoinHandle};
use uuid::Uuid;

use super::{
    entity as event_entity,
    model::{Normalized, Webhook},
    store,
};
use crate::{
    channels::{self, adapters, entity as channel, model::ChannelType},
    contacts,
    error::{AppError, AppResult},
    events::{self, outbox},
    inbox::{
        ingest::{self, Inbound},
        receipts::{self, Receipt},
    },
    state::AppState,
    tenancy::Scope,
};

/// The lease that makes the pipeline cluster-once.
pub const LEASE: &str = "inbound-pipeline";
/// Deliveries taken per round.
const BATCH: u64 = 256;
/// Messages applied per transaction: a commit and each look-up are shared by many
/// messages, yet the write lock (SQLite: every webhook insert waits for it) and the
/// event visibility horizon (PostgreSQL: events become readable once older
/// transactions end) are held only briefly.
const BATCH_MESSAGES: usize = 64;
/// Attempts before a delivery is kept as failed.
const MAX_ATTEMPTS: i32 = 20;
/// How long a status for a message we do not know yet is retried (the send job may
/// not have recorded the provider id when a fast callback arrives).
const UNKNOWN_STATUS_GRACE: chrono::Duration = chrono::Duration::seconds(60);
/// How long a new contact's Meta profile lookup may take before ingest goes on without it.
const PROFILE_TIMEOUT: Duration = Duration::from_secs(3);
const IDLE_POLL: Duration = Duration::from_millis(250);

/// The running lanes.
pub struct Pipeline {
    stop: watch::Sender<bool>,
    handle: JoinHandle<()>,
}

impl Pipeline {
    /// Starts `lanes` lanes (none when zero) while this process holds the lease.
    pub fn start(state: AppState, lanes: usize, holder: String) -> Pipeline {
        let (stop, stopped) = watch::channel(false);
        let handle = tokio::spawn(lead(state, lanes, holder, stopped));
        Pipeline { stop, handle }
    }

    /// Stops after the batches in flight (they commit or roll back whole).
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.handle.await;
    }
}

async fn lead(state: AppState, lanes: usize, holder: String, mut stopped: watch::Receiver<bool>) {
    let mut running: Vec<JoinHandle<()>> = Vec::new();
    let (stop_lanes, lanes_stopped) = watch::channel(false);
    while lanes > 0 && !*stopped.borrow() {
        let now = Utc::now();
        let held = outbox::acquire_lease(&state.db, LEASE, &holder, now, now + chrono::Duration::seconds(15))
            .await
            .unwrap_or(!running.is_empty());
        if held && running.is_empty() {
            running = (0..lanes)
                .map(|lane| tokio::spawn(run_lane(state.clone(), lane as i64, lanes as i64, lanes_stopped.clone())))
                .collect();
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
            _ = stopped.changed() => {}
        }
    }
    let _ = stop_lanes.send(true);
    for lane in running {
        let _ = lane.await;
    }
    let _ = outbox::release_lease(&state.db, LEASE, &holder).await;
}

async fn run_lane(state: AppState, lane: i64, lanes: i64, mut stopped: watch::Receiver<bool>) {
    let mut wake = state.inbound_wake.subscribe();
    while !*stopped.borrow() {
        let wait = match apply_due(&state, lane, lanes).await {
            Ok(0) => IDLE_POLL,
            Ok(_) => continue,
            Err(e) => {
                tracing::warn!(lane, error = %e, "inbound pipeline round failed");
                Duration::from_secs(1)
            }
        };
        tokio::select! {
            _ = wake.changed() => {}
            _ = tokio::time::sleep(wait) => {}
            _ = stopped.changed() => {}
        }
    }
}

/// Applies every due delivery now, in this task (tests and tools); returns how many.
pub async fn run_until_idle(state: &AppState) -> usize {
    let mut total = 0;
    while let Ok(n @ 1..) = apply_due(state, 0, 1).await {
        total += n;
        if total > 100_000 {
            break;
        }
    }
    total
}

/// One round of one lane: the due deliveries, applied in order. Returns how many were
/// taken (applied, retried later or failed).
pub async fn apply_due(state: &AppState, lane: i64, lanes: i64) -> AppResult<usize> {
    let rows = store::platform_due(&state.db, lane, lanes, Utc::now(), BATCH).await?;
    let taken = rows.len();
    let mut channels: HashMap<Uuid, Option<channel::Model>> = HashMap::new();
    let mut batch = Batch::default();
    for row in rows {
        if let std::collections::hash_map::Entry::Vacant(slot) = channels.entry(row.channel_id) {
            slot.insert(channels::store::platform_find_routing(&state.db, row.channel_id).await?);
        }
        let Some(channel) = channels[&row.channel_id].as_ref() else {
            batch.flush(state).await;
            store::finish(&state.db, row.id, Some("channel of event not found")).await?;
            continue;
        };
        let events = match decode(state, channel, &row) {
            Ok(events) => events,
            Err(e) => {
                batch.flush(state).await;
                store::finish(&state.db, row.id, Some(&format!("unreadable event: {e}"))).await?;
                continue;
            }
        };
        if events.iter().all(|e| matches!(e, Normalized::Message(_) | Normalized::Ignored { .. })) {
            let messages = with_profile_names(state, &mut batch, channel, events).await;
            batch.add(state, channel, row, messages).await;
        } else {
            batch.flush(state).await;
            apply_alone(state, channel, &row, events).await;
        }
    }
    batch.flush(state).await;
    Ok(taken)
}

fn decode(state: &AppState, channel: &channel::Model, row: &event_entity::Model) -> AppResult<Vec<Normalized>> {
    match &row.normalized {
        Some(json) => serde_json::from_str(json).map_err(|e| AppError::field("normalized", e.to_string())),
        // Stored before deliveries were kept parsed: the channel's adapter parses it now.
        None => {
            let headers = axum::http::HeaderMap::new();
            let hook = Webhook::stored(row.payload.as_bytes(), &headers);
            Ok(adapters::of_channel(state, channel)?.parse(channel, &hook)?.events)
        }
    }
}

/// Consecutive message deliveries, applied together in one transaction when full or
/// when something else must be applied first.
#[derive(Default)]
struct Batch {
    messages: usize,
    /// The deliveries (with their channel and messages, to redo them one by one if the
    /// batch fails).
    rows: Vec<(channel::Model, event_entity::Model, Vec<Inbound>)>,
}

impl Batch {
    async fn add(
        &mut self,
        state: &AppState,
        channel: &channel::Model,
        row: event_entity::Model,
        messages: Vec<Inbound>,
    ) {
        self.messages += messages.len();
        self.rows.push((channel.clone(), row, messages));
        if self.messages >= BATCH_MESSAGES {
            self.flush(state).await;
        }
    }

    /// Applies the batch in one transaction (messages, events, rows marked processed),
    /// or on failure its deliveries one at a time.
    async fn flush(&mut self, state: &AppState) {
        let rows = std::mem::take(&mut self.rows);
        self.messages = 0;
        if rows.is_empty() {
            return;
        }
        match apply_together(state, &rows).await {
            Ok(()) => metrics::counter!("inbound_batches_total").increment(1),
            Err(e) => {
                tracing::debug!(error = %e, "inbound batch failed; applying its deliveries one by one");
                for (channel, row, messages) in rows {
                    let outcome = apply_messages_alone(state, &channel, &messages, row.attempts).await;
                    record_outcome(state, &row, outcome).await;
                }
            }
        }
    }
}

/// Applies deliveries in one transaction: each channel's messages in arrival order
/// (a sender's messages all come through one channel), with their events and the
/// rows marked processed.
async fn apply_together(
    state: &AppState,
    rows: &[(channel::Model, event_entity::Model, Vec<Inbound>)],
) -> AppResult<()> {
    let mut by_channel: Vec<(&channel::Model, Vec<Inbound>)> = Vec::new();
    for (channel, _, messages) in rows {
        match by_channel.iter_mut().find(|(c, _)| c.id == channel.id) {
            Some((_, all)) => all.extend(messages.iter().cloned()),
            None => by_channel.push((channel, messages.clone())),
        }
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let mut events = Vec::new();
    for (channel, messages) in &by_channel {
        let scope = Scope::system(channel.tenant_id);
        events.extend(ingest::ingest_in(&txn, &scope, channel, messages).await?);
    }
    let ids: Vec<Uuid> = rows.iter().map(|(_, row, _)| row.id).collect();
    store::platform_mark_processed(&txn, &ids).await?;
    events::record(&txn, events).await?;
    events::commit(txn, &state.events).await?;
    Ok(())
}

/// Meta gives no name with a message: ask for a new customer's profile name (best
/// effort, bounded) before the transaction that will create the contact.
async fn with_profile_names(
    state: &AppState,
    batch: &mut Batch,
    channel: &channel::Model,
    events: Vec<Normalized>,
) -> Vec<Inbound> {
    let adapter = adapters::of_channel(state, channel).ok().filter(|a| a.looks_up_profile_names());
    let mut messages = Vec::with_capacity(events.len());
    for event in events {
        let Normalized::Message(mut inbound) = event else { continue };
        if let Some(adapter) = adapter.as_deref()
            && inbound.profile_name.is_none()
        {
            // No network call while the batch holds the write lock.
            batch.flush(state).await;
            inbound.profile_name = profile_name(state, adapter, channel, &inbound).await;
        }
        messages.push(inbound);
    }
    messages
}

/// How applying one delivery ended.
enum Outcome {
    Applied,
    /// Try again after this long.
    RetryAfter(Duration, String),
    Failed(String),
}

async fn record_outcome(state: &AppState, row: &event_entity::Model, outcome: Outcome) {
    let result = match outcome {
        Outcome::Applied => store::finish(&state.db, row.id, None).await,
        Outcome::RetryAfter(_, reason) | Outcome::Failed(reason) if row.attempts + 1 >= MAX_ATTEMPTS => {
            tracing::warn!(event_id = %row.id, %reason, "inbound delivery failed for good");
            store::finish(&state.db, row.id, Some(&reason)).await
        }
        Outcome::RetryAfter(wait, reason) => {
            let at = crate::jobs::due_after(Utc::now(), wait);
            store::platform_retry_at(&state.db, row.id, at, &reason).await
        }
        Outcome::Failed(reason) => {
            tracing::warn!(event_id = %row.id, %reason, "inbound delivery failed");
            store::finish(&state.db, row.id, Some(&reason)).await
        }
    };
    if let Err(e) = result {
        tracing::warn!(event_id = %row.id, error = %e, "inbound delivery outcome not recorded");
    }
}

fn retry_wait(state: &AppState, attempts: i32) -> Duration {
    crate::jobs::backoff(Duration::from_millis(state.config.job_backoff_ms), attempts + 1)
}

fn outcome_of(state: &AppState, attempts: i32, e: AppError) -> Outcome {
    match e {
        AppError::Internal(_) | AppError::Unavailable(_) | AppError::Conflict { .. } => {
            Outcome::RetryAfter(retry_wait(state, attempts), e.to_string())
        }
        other => Outcome::Failed(other.to_string()),
    }
}

async fn apply_messages_alone(
    state: &AppState,
    channel: &channel::Model,
    messages: &[Inbound],
    attempts: i32,
) -> Outcome {
    for inbound in messages {
        if let Err(e) = ingest::ingest(state, channel, inbound.clone()).await {
            return outcome_of(state, attempts, e);
        }
    }
    Outcome::Applied
}

/// A delivery with statuses, watermarks or connection changes, applied on its own.
async fn apply_alone(state: &AppState, channel: &channel::Model, row: &event_entity::Model, events: Vec<Normalized>) {
    let channel_type = ChannelType::parse(&channel.channel_type).unwrap_or(ChannelType::Api);
    let mut outcome = Outcome::Applied;
    for event in events {
        let result = match event {
            Normalized::Message(inbound) => ingest::ingest(state, channel, inbound).await,
            Normalized::Status(update) => match receipts::apply_status(state, channel, &update).await {
                Ok(Receipt::UnknownMessage) if Utc::now() - row.received_at < UNKNOWN_STATUS_GRACE => {
                    let reason = format!("status for unknown message {}", update.external_id);
                    outcome = Outcome::RetryAfter(Duration::from_secs(5), reason);
                    break;
                }
                other => other.map(|_| ()),
            },
            Normalized::Watermark(update) => {
                let kind = adapters::watermark_identity_kind(channel_type);
                receipts::apply_watermark(state, channel, kind, &update).await.map(|_| ())
            }
            Normalized::Connection(change) => {
                channels::connection::on_connection_event(state, channel, &change).await.map(|_| ())
            }
            Normalized::Ignored { reason } => {
                tracing::debug!(provider = %row.provider, %reason, "webhook event skipped");
                Ok(())
            }
        };
        if let Err(e) = result {
            outcome = outcome_of(state, row.attempts, e);
            break;
        }
    }
    record_outcome(state, row, outcome).await;
}

/// The provider's profile name of a customer this tenant does not know yet (best
/// effort: never fails ingest, gives up after a short timeout).
async fn profile_name(
    state: &AppState,
    adapter: &dyn adapters::Adapter,
    channel: &channel::Model,
    inbound: &Inbound,
) -> Option<String> {
    let scope = Scope::system(channel.tenant_id);
    let kind = inbound.identity_kind;
    let known = contacts::store::find_by_identity(
        &state.db,
        &scope,
        kind,
        &kind.scope_for(channel.id),
        &inbound.identity_value,
    )
    .await
    .ok()?;
    if known.is_some() {
        return None;
    }
    let keys = adapters::ChannelKeys::new(state, channel);
    adapter.profile_name(channel, &keys, &inbound.identity_value, PROFILE_TIMEOUT).await
}
