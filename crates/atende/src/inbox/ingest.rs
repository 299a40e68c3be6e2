//! `ingest`: the only way an inbound message enters. Captures the contact (contacts'
//! lead capture), finds, reopens or opens the conversation, stores the message once
//! per provider id, bumps activity, and returns the events to record with it.
//! `ingest_in` works inside the caller's transaction, so the inbound pipeline applies a
//! whole batch of messages in one.

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseTransaction, Set};

use super::{
    entity::conversation,
    model::{AttachmentRef, ContentType, ConversationStatus, MessageStatus, SenderType, preview},
    store::{self, NewConversation, NewMessage},
    views,
};
use crate::{
    channels::entity as channel,
    contacts::{self, lead, model::IdentityKind},
    error::{AppError, AppResult},
    events::{ConversationChange, DomainEvent},
    state::AppState,
    tenancy::Scope,
};

/// A normalised inbound message, whatever the provider.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Inbound {
    /// Provider message id: the idempotency key within the channel.
    pub external_id: String,
    pub identity_kind: IdentityKind,
    pub identity_value: String,
    /// Profile name from the provider (WhatsApp ProfileName, Meta profile…).
    pub profile_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub content: Option<String>,
    pub content_type: ContentType,
    pub attachments: Vec<AttachmentRef>,
    pub metadata: Option<serde_json::Value>,
    pub timestamp: Option<DateTime<Utc>>,
    /// Sent from the business side (e.g. typed on the phone): stored as an agent message.
    pub is_echo: bool,
}

/// What ingest did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ingested {
    Stored {
        message_id: uuid::Uuid,
        conversation_id: uuid::Uuid,
        contact_id: uuid::Uuid,
    },
    /// Same provider id seen before: nothing changed.
    Duplicate {
        message_id: uuid::Uuid,
    },
}

/// Applies one inbound message in its own transaction (retrying when a concurrent
/// writer created the same contact first), records its events and commits.
pub async fn ingest(state: &AppState, channel: &channel::Model, inbound: Inbound) -> AppResult<Ingested> {
    let scope = Scope::system(channel.tenant_id);
    for _ in 0..3 {
        let txn = crate::db::begin_write(&state.db).await?;
        match ingest_in(&txn, &scope, channel, &inbound).await {
            Ok((ingested, events)) => {
                crate::events::record(&txn, events).await?;
                crate::events::commit(txn, &state.events).await?;
                return Ok(ingested);
            }
            Err(e) if is_conflict(&e) => {
                // Someone else stored this contact or message meanwhile: look again.
                txn.rollback().await?;
            }
            Err(e) => return Err(e),
        }
    }
    Err(AppError::Unavailable("inbound message kept conflicting".into()))
}

/// A unique-key conflict: another writer got there first.
pub fn is_conflict(e: &AppError) -> bool {
    matches!(e, AppError::Conflict { code: "already_exists", .. })
}

/// Applies an inbound message inside `txn` and returns what happened with the events
/// to record. Errors leave the transaction to be rolled back by the caller.
pub async fn ingest_in(
    txn: &DatabaseTransaction,
    scope: &Scope,
    channel: &channel::Model,
    inbound: &Inbound,
) -> AppResult<(Ingested, Vec<DomainEvent>)> {
    if let Some(existing) = store::message_find_by_external(txn, scope, channel.id, &inbound.external_id).await? {
        return Ok((Ingested::Duplicate { message_id: existing.id }, Vec::new()));
    }
    let sender = lead::Sender {
        channel_id: channel.id,
        kind: inbound.identity_kind,
        identity: &inbound.identity_value,
        profile_name: inbound.profile_name.as_deref(),
        phone: inbound.phone.as_deref(),
        email: inbound.email.as_deref(),
    };
    let captured = lead::capture(txn, scope, sender).await?;
    let contact = captured.contact;
    let mut events: Vec<DomainEvent> = captured.event.into_iter().collect();
    let now = Utc::now();
    // Serialise this person's messages with any other writer: the conversation lookup
    // and creation below must not interleave (it would open a second conversation).
    contacts::store::lock(txn, scope, contact.id).await?;
    let (conv, created, reopened) = open_conversation(txn, scope, contact.id, channel.id, now).await?;
    // Presence-aware routing (off by default) picks an active, available agent.
    let routed = if created && !inbound.is_echo {
        super::routing::assignee_for_new(txn, scope, conv.team_id).await?
    } else {
        None
    };
    let was_open = conv.status == ConversationStatus::Open.as_str() && conv.snoozed_until.is_none();
    let message = store::message_insert(txn, scope, new_message(channel, &contact, &conv, inbound, now)).await?;
    let reopened_count = conv.reopened_count;
    let updated: conversation::Model = store::conversation_update(txn, scope, conv, |c| {
        c.last_activity_at = Set(now);
        if routed.is_some() {
            c.assignee_id = Set(routed);
        }
        c.last_message_preview = Set(preview(inbound.content.as_deref(), inbound.content_type));
        if !inbound.is_echo {
            c.last_incoming_at = Set(Some(now));
            // A customer writing again wakes the conversation up.
            c.status = Set(ConversationStatus::Open.as_str().into());
            c.snoozed_until = Set(None);
            if reopened {
                c.resolved_at = Set(None);
                c.reopened_count = Set(reopened_count + 1);
            }
        }
    })
    .await?;
    contacts::store::touch_activity(txn, scope, contact.id, now).await?;
    let conversation_view = views::conversation_of(txn, scope, updated.clone(), &contact, channel).await?;
    if created {
        events.push(views::conversation_created(scope, &updated, &conversation_view));
    } else if !was_open && !inbound.is_echo {
        let change = ConversationChange::Status { resolved: false, reopened };
        events.push(views::conversation_updated(scope, &updated, &conversation_view, None, change));
    }
    let message_view = views::message(txn, scope, message.clone()).await?;
    events.push(views::message_created(scope, &updated, &message_view));
    metrics::counter!("inbound_messages_total").increment(1);
    let ingested = Ingested::Stored { message_id: message.id, conversation_id: updated.id, contact_id: contact.id };
    Ok((ingested, events))
}

/// The contact's latest conversation on the channel (and whether this message reopens
/// it), or a new one.
async fn open_conversation(
    txn: &DatabaseTransaction,
    scope: &Scope,
    contact_id: uuid::Uuid,
    channel_id: uuid::Uuid,
    now: DateTime<Utc>,
) -> AppResult<(conversation::Model, bool, bool)> {
    Ok(match store::conversation_latest_for(txn, scope, contact_id, channel_id).await? {
        Some(c) => {
            let was = ConversationStatus::parse(&c.status).unwrap_or(ConversationStatus::Open);
            (c, false, was == ConversationStatus::Resolved)
        }
        None => {
            let new = NewConversation { contact_id, channel_id, at: now };
            (store::conversation_insert(txn, scope, new).await?, true, false)
        }
    })
}

fn new_message(
    channel: &channel::Model,
    contact: &contacts::entity::contact::Model,
    conv: &conversation::Model,
    inbound: &Inbound,
    now: DateTime<Utc>,
) -> NewMessage {
    let sender = if inbound.is_echo { SenderType::Agent } else { SenderType::Contact };
    NewMessage {
        conversation_id: conv.id,
        channel_id: channel.id,
        sender_type: sender.as_str(),
        sender_user_id: None,
        contact_id: (!inbound.is_echo).then_some(contact.id),
        content: inbound.content.clone(),
        content_type: inbound.content_type.as_str(),
        attachments: (!inbound.attachments.is_empty())
            .then(|| serde_json::to_value(&inbound.attachments).unwrap_or_default()),
        metadata: inbound.metadata.clone(),
        external_id: Some(inbound.external_id.clone()),
        status: if inbound.is_echo { MessageStatus::Sent } else { MessageStatus::Read },
        is_private: false,
        at: now,
    }
}
