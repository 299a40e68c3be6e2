//! Shared webhook steps: resolve the channel (tenant from the row, never the payload),
//! refuse suspended tenants, and store the delivery with its parsed events (the row is
//! the pipeline's queue entry).

use uuid::Uuid;

use super::{model::Normalized, store};
use crate::{
    channels::{self, entity as channel, model::ChannelType},
    error::{AppError, AppResult},
    state::AppState,
    tenancy::{self, TenantStatus},
};

/// The enabled channel of this type behind a webhook URL, in an active tenant.
pub async fn channel_for(state: &AppState, id: Uuid, expected: ChannelType) -> AppResult<channel::Model> {
    channel_of_types(state, id, &[expected]).await
}

/// The enabled channel of one of these types behind a webhook URL, in an active tenant.
pub async fn channel_of_types(state: &AppState, id: Uuid, expected: &[ChannelType]) -> AppResult<channel::Model> {
    let channel = channels::store::platform_find_routing(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let matches = ChannelType::parse(&channel.channel_type).is_some_and(|t| expected.contains(&t));
    if !matches || !channel.enabled {
        return Err(AppError::NotFound);
    }
    let tenant =
        tenancy::store::platform_find_routing(&state.db, channel.tenant_id).await?.ok_or(AppError::NotFound)?;
    if tenant.status != TenantStatus::Active.as_str() {
        return Err(AppError::TenantSuspended);
    }
    Ok(channel)
}

/// Whether an event was new.
pub enum Accepted {
    New(Uuid),
    Duplicate,
}

/// A verified delivery to store: its raw bytes and the events parsed from them.
pub struct Delivery<'a> {
    pub provider: &'a str,
    /// What the delivery is about (`event_key`): a redelivery has the same key.
    pub event_key: &'a str,
    pub payload: String,
    pub content_type: Option<String>,
    pub events: Vec<Normalized>,
}

/// Stores the raw delivery with its parsed events; the row is the pipeline's queue
/// entry, so nothing is acknowledged that is not stored, and a duplicate (same
/// provider key) is acknowledged and dropped. One insert, no transaction.
pub async fn accept(state: &AppState, channel: &channel::Model, delivery: Delivery<'_>) -> AppResult<Accepted> {
    let provider = delivery.provider;
    let normalized = serde_json::to_string(&delivery.events).map_err(|e| AppError::Internal(e.into()))?;
    let row = store::NewEvent {
        tenant_id: channel.tenant_id,
        channel_id: channel.id,
        provider,
        event_key: delivery.event_key,
        payload: delivery.payload,
        content_type: delivery.content_type,
        normalized,
        lane_hash: lane_hash(&delivery.events),
    };
    let Some(event) = store::insert(&state.db, row).await? else {
        metrics::counter!("webhook_events_total", "provider" => provider.to_string(), "outcome" => "duplicate")
            .increment(1);
        return Ok(Accepted::Duplicate);
    };
    state.inbound_wake.wake();
    metrics::counter!("webhook_events_total", "provider" => provider.to_string(), "outcome" => "accepted").increment(1);
    Ok(Accepted::New(event.id))
}

/// The partition of a delivery: its first sender's identity (so one person's messages,
/// on any channel, are applied in arrival order by one lane), else nothing in particular.
pub fn lane_hash(events: &[Normalized]) -> i64 {
    let key = events.iter().find_map(|e| match e {
        Normalized::Message(m) => Some(m.identity_value.as_str()),
        Normalized::Watermark(w) => Some(w.contact_id.as_str()),
        _ => None,
    });
    // FNV-1a: stable across processes and versions (the std hasher is neither).
    let hash = key
        .unwrap_or_default()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    (hash & 0x7fff_ffff) as i64
}

/// The raw body as text (every provider here sends UTF-8: JSON or form encoding).
pub fn utf8_payload(body: &[u8]) -> AppResult<String> {
    String::from_utf8(body.to_vec()).map_err(|_| AppError::field("body", "must be UTF-8"))
}

/// Counts a refused delivery by provider and reason.
pub fn refused(provider: &'static str, outcome: &'static str) {
    metrics::counter!("webhook_events_total", "provider" => provider, "outcome" => outcome).increment(1);
}
