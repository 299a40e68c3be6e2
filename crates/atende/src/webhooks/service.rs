//! Shared webhook steps: resolve the channel (tenant from the row, never the payload),
//! refuse suspended tenants, and store the delivery with its parsed events (the row is
//! the pipeline's queue entry).

use providers::InboundEvent;
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{normalize::Normalized, store};
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
        lane_hash: super::normalize::lane_hash(&delivery.events),
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

/// The dedupe key of a provider delivery: what it is about (`message:<id>`,
/// `status:<id>:<status>`, `watermark:<user>:<status>:<ms>`, `connection:…`), so a
/// redelivery of the same event is acknowledged and dropped. Several events make a
/// `batch:` hash of their keys; a delivery with nothing identifiable is keyed by a hash
/// of its bytes. Keys fit the 200-character column.
pub fn event_key(events: &[InboundEvent], raw: &[u8]) -> String {
    let keys: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            InboundEvent::Message(m) => Some(format!("message:{}", m.external_id)),
            InboundEvent::Status(s) => Some(format!("status:{}:{:?}", s.external_id, s.status).to_lowercase()),
            InboundEvent::Watermark(w) => Some(
                format!("watermark:{}:{:?}:{}", w.contact_id, w.status, w.watermark.timestamp_millis()).to_lowercase(),
            ),
            InboundEvent::Connection(c) => {
                c.timestamp.map(|t| format!("connection:{}:{}", c.connected, t.timestamp_millis()))
            }
            InboundEvent::Ignored(_) => None,
        })
        .collect();
    let key = match keys.as_slice() {
        [] => format!("raw:{}", hex::encode(Sha256::digest(raw))),
        [one] => one.clone(),
        many => format!("batch:{}", hex::encode(Sha256::digest(many.join("\n").as_bytes()))),
    };
    if key.len() > 200 { format!("sha:{}", hex::encode(Sha256::digest(key.as_bytes()))) } else { key }
}

/// The raw body as text (every provider here sends UTF-8: JSON or form encoding).
pub fn utf8_payload(body: &[u8]) -> AppResult<String> {
    String::from_utf8(body.to_vec()).map_err(|_| AppError::field("body", "must be UTF-8"))
}

/// Counts a refused delivery by provider and reason.
pub fn refused(provider: &'static str, outcome: &'static str) {
    metrics::counter!("webhook_events_total", "provider" => provider, "outcome" => outcome).increment(1);
}
