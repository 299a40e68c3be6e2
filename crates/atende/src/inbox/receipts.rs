//! Delivery receipts from providers: a message's status only moves forward
//! (SENT → DELIVERED → READ, or SENT → FAILED with the provider's reason), whatever
//! order the callbacks arrive in; every change is pushed as `message_status_update`.

use chrono::{DateTime, Utc};
use providers::{DeliveryStatus, StatusUpdate, WatermarkUpdate};
use sea_orm::Set;

use super::{entity::message, model::MessageStatus, store, views};
use crate::{
    channels::entity as channel, contacts, contacts::model::IdentityKind, error::AppResult, state::AppState,
    tenancy::Scope,
};

/// What a status callback did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    /// The message moved forward.
    Applied,
    /// Already there or beyond (duplicate or out-of-order callback).
    Unchanged,
    /// No message of the channel has that provider id (yet).
    UnknownMessage,
}

/// Most messages a single watermark moves (older ones were covered by earlier ones).
const WATERMARK_BATCH: u64 = 500;

fn delivery_status_of(status: &str) -> Option<DeliveryStatus> {
    match MessageStatus::parse(status)? {
        MessageStatus::Pending => None,
        MessageStatus::Sent => Some(DeliveryStatus::Sent),
        MessageStatus::Delivered => Some(DeliveryStatus::Delivered),
        MessageStatus::Read => Some(DeliveryStatus::Read),
        MessageStatus::Failed => Some(DeliveryStatus::Failed),
    }
}

fn message_status_of(status: DeliveryStatus) -> MessageStatus {
    match status {
        DeliveryStatus::Sent => MessageStatus::Sent,
        DeliveryStatus::Delivered => MessageStatus::Delivered,
        DeliveryStatus::Read => MessageStatus::Read,
        DeliveryStatus::Failed => MessageStatus::Failed,
    }
}

/// Moves one message to `status` if that is progress, and tells the agents.
async fn advance(
    state: &AppState,
    scope: &Scope,
    current: message::Model,
    status: DeliveryStatus,
    at: DateTime<Utc>,
    failure: Option<String>,
) -> AppResult<Receipt> {
    if !status.advances(delivery_status_of(&current.status)) {
        return Ok(Receipt::Unchanged);
    }
    let (had_sent, had_delivered) = (current.sent_at.is_some(), current.delivered_at.is_some());
    let txn = crate::db::begin_write(&state.db).await?;
    let updated = store::message_update(&txn, scope, current, |m| {
        m.status = Set(message_status_of(status).as_str().into());
        match status {
            DeliveryStatus::Sent => {
                if !had_sent {
                    m.sent_at = Set(Some(at));
                }
            }
            DeliveryStatus::Delivered => m.delivered_at = Set(Some(at)),
            DeliveryStatus::Read => {
                if !had_delivered {
                    m.delivered_at = Set(Some(at));
                }
                m.read_at = Set(Some(at));
            }
            DeliveryStatus::Failed => {
                m.failure_reason = Set(Some(failure.unwrap_or_else(|| "The provider could not deliver it".into())));
                m.failure_code = Set(Some("provider_failed".into()));
            }
        }
    })
    .await?;
    if let Some(conversation) = store::conversation_get(&txn, scope, updated.conversation_id).await? {
        let view = views::message(&txn, scope, updated).await?;
        crate::events::record(&txn, vec![views::status_updated(scope, &conversation, &view)]).await?;
    }
    crate::events::commit(txn, &state.events).await?;
    Ok(Receipt::Applied)
}

/// Applies a provider status callback naming one message by its provider id.
pub async fn apply_status(state: &AppState, channel: &channel::Model, update: &StatusUpdate) -> AppResult<Receipt> {
    let scope = Scope::system(channel.tenant_id);
    let Some(current) = store::message_find_by_external(&state.db, &scope, channel.id, &update.external_id).await?
    else {
        return Ok(Receipt::UnknownMessage);
    };
    let failure = update.error.as_ref().map(|e| {
        let reason = if e.message.trim().is_empty() { "The provider could not deliver it" } else { &e.message };
        format!("{reason} (code {})", e.code).chars().take(500).collect()
    });
    let at = update.timestamp.unwrap_or_else(Utc::now);
    advance(state, &scope, current, update.status, at, failure).await
}

/// Applies "everything sent to this customer up to `watermark` was delivered / read"
/// (Meta). `kind` is the customer's identity kind on this channel. Returns how many
/// messages moved.
pub async fn apply_watermark(
    state: &AppState,
    channel: &channel::Model,
    kind: IdentityKind,
    update: &WatermarkUpdate,
) -> AppResult<usize> {
    let scope = Scope::system(channel.tenant_id);
    let db = &state.db;
    let Some(contact) =
        contacts::store::find_by_identity(db, &scope, kind, &kind.scope_for(channel.id), &update.contact_id).await?
    else {
        return Ok(0);
    };
    let Some(conversation) = store::conversation_latest_for(db, &scope, contact.id, channel.id).await? else {
        return Ok(0);
    };
    let below: &[MessageStatus] = match update.status {
        DeliveryStatus::Read => &[MessageStatus::Sent, MessageStatus::Delivered],
        DeliveryStatus::Delivered => &[MessageStatus::Sent],
        DeliveryStatus::Sent | DeliveryStatus::Failed => return Ok(0),
    };
    let rows =
        store::messages_under_watermark(db, &scope, conversation.id, update.watermark, below, WATERMARK_BATCH).await?;
    let mut moved = 0;
    for row in rows {
        if advance(state, &scope, row, update.status, update.watermark, None).await? == Receipt::Applied {
            moved += 1;
        }
    }
    Ok(moved)
}
