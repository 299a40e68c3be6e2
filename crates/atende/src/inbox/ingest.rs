//! `ingest`: the only way an inbound message enters. Captures the contact (contacts'
//! lead capture), finds, reopens or opens the conversation, stores the message once
//! per provider id, bumps activity, and returns the events to record with it.
//! `ingest_in` works inside the caller's transaction, so the inbound pipeline applies a
//! whole batch of messages in one.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseTransaction, Set};
use uuid::Uuid;

use super::{
    entity::{conversation, message},
    model::{AssigneeRef, ConversationStatus, MessageStatus, SenderType, preview},
    store::{self, NewConversation, NewMessage},
    views,
};
use crate::{
    channels::entity as channel,
    contacts::{self, lead},
    error::{AppError, AppResult},
    events::{ConversationChange, DomainEvent},
    state::AppState,
    tenancy::Scope,
    users,
};

/// The normalised inbound message (declared with the inbox's types).
pub use super::model::Inbound;

/// Applies one inbound message in its own transaction (retrying when a concurrent
/// writer created the same contact first), records its events and commits.
pub async fn ingest(state: &AppState, channel: &channel::Model, inbound: Inbound) -> AppResult<()> {
    let scope = Scope::system(channel.tenant_id);
    for _ in 0..3 {
        let txn = crate::db::begin_write(&state.db).await?;
        match ingest_in(&txn, &scope, channel, std::slice::from_ref(&inbound)).await {
            Ok(events) => {
                crate::events::record(&txn, events).await?;
                crate::events::commit(txn, &state.events).await?;
                return Ok(());
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

/// Applies a channel's inbound messages, in order, inside `txn` and returns the events
/// to record. Look-ups are by set (known provider ids, senders, their conversations,
/// assignees), rows are written once per batch (messages in one insert, each touched
/// conversation and contact once), so a batch costs a handful of round trips plus one
/// per new contact or conversation. Errors leave the transaction to be rolled back by
/// the caller.
pub async fn ingest_in(
    txn: &DatabaseTransaction,
    scope: &Scope,
    channel: &channel::Model,
    inbounds: &[Inbound],
) -> AppResult<Vec<DomainEvent>> {
    let fresh = unseen(txn, scope, channel, inbounds).await?;
    if fresh.is_empty() {
        return Ok(Vec::new());
    }
    let senders: Vec<lead::Sender> = fresh.iter().map(|inbound| sender_of(channel, inbound)).collect();
    let captured = lead::capture_all(txn, scope, &senders).await?;
    let mut contact_ids: Vec<Uuid> = captured.iter().map(|c| c.contact.id).collect();
    contact_ids.sort();
    contact_ids.dedup();
    // Serialise these people's messages with any other writer: the conversation
    // look-up and creation below must not interleave (it would open a second one).
    contacts::store::lock_many(txn, scope, &contact_ids).await?;
    let conversations = store::conversations_latest_for(txn, scope, &contact_ids, channel.id).await?;
    let assignees = assignee_names(txn, scope, conversations.values()).await?;
    let mut batch = Applied { conversations, assignees, ..Default::default() };
    for (inbound, captured) in fresh.into_iter().zip(captured) {
        batch.events.extend(captured.event);
        batch.apply(txn, scope, channel, &captured.contact, inbound).await?;
    }
    store::messages_insert(txn, scope, &batch.messages).await?;
    for contact_id in &batch.touched {
        if let Some(conversation) = batch.conversations.get(contact_id) {
            store::conversation_save_inbound(txn, scope, conversation).await?;
        }
    }
    let last_at = batch.messages.iter().map(|m| m.created_at).max().unwrap_or_else(Utc::now);
    contacts::store::touch_activity_many(txn, scope, &contact_ids, last_at).await?;
    metrics::counter!("inbound_messages_total").increment(batch.messages.len() as u64);
    Ok(batch.events)
}

/// The messages not stored yet: known provider ids and repeats within the batch dropped.
async fn unseen<'a>(
    txn: &DatabaseTransaction,
    scope: &Scope,
    channel: &channel::Model,
    inbounds: &'a [Inbound],
) -> AppResult<Vec<&'a Inbound>> {
    let ids: Vec<&str> = inbounds.iter().map(|i| i.external_id.as_str()).collect();
    let mut seen = store::message_external_ids_known(txn, scope, channel.id, &ids).await?;
    Ok(inbounds.iter().filter(|i| seen.insert(i.external_id.clone())).collect())
}

fn sender_of<'a>(channel: &channel::Model, inbound: &'a Inbound) -> lead::Sender<'a> {
    lead::Sender {
        channel_id: channel.id,
        kind: inbound.identity_kind,
        identity: &inbound.identity_value,
        profile_name: inbound.profile_name.as_deref(),
        phone: inbound.phone.as_deref(),
        email: inbound.email.as_deref(),
    }
}

async fn assignee_names<'a>(
    txn: &DatabaseTransaction,
    scope: &Scope,
    conversations: impl Iterator<Item = &'a conversation::Model>,
) -> AppResult<HashMap<Uuid, AssigneeRef>> {
    let mut ids: Vec<Uuid> = conversations.filter_map(|c| c.assignee_id).collect();
    ids.sort();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let users = users::store::get_many(txn, scope, &ids).await?;
    Ok(users.into_iter().map(|u| (u.id, AssigneeRef { id: u.id, name: u.name })).collect())
}

/// What a batch has applied so far (in memory until written at its end).
#[derive(Default)]
struct Applied {
    /// Each contact's latest conversation on the channel, as the batch left it.
    conversations: HashMap<Uuid, conversation::Model>,
    assignees: HashMap<Uuid, AssigneeRef>,
    /// Contacts whose conversation to save, in first-touch order.
    touched: Vec<Uuid>,
    messages: Vec<message::Model>,
    events: Vec<DomainEvent>,
}

impl Applied {
    /// One message: its conversation found, reopened or opened, the message row and
    /// the conversation's new state kept for the batch's writes, the events recorded.
    async fn apply(
        &mut self,
        txn: &DatabaseTransaction,
        scope: &Scope,
        channel: &channel::Model,
        contact: &contacts::entity::contact::Model,
        inbound: &Inbound,
    ) -> AppResult<()> {
        let now = Utc::now();
        let (conv, created) = match self.conversations.get(&contact.id) {
            Some(c) => (c.clone(), false),
            None => {
                let new = NewConversation { contact_id: contact.id, channel_id: channel.id, at: now };
                let conv = store::conversation_insert(txn, scope, new).await?;
                (self.route(txn, scope, conv, inbound).await?, true)
            }
        };
        let status = ConversationStatus::parse(&conv.status).unwrap_or(ConversationStatus::Open);
        let was_open = status == ConversationStatus::Open && conv.snoozed_until.is_none();
        let reopened = status == ConversationStatus::Resolved;
        if reopened && !inbound.is_echo {
            // The contact wrote again: the timeline says so before the message.
            let line = super::model::Activity::new(super::model::ActivityKind::Reopened, None);
            let row = store::message_row(scope, super::activity::new_message(&conv, &line, now));
            self.events.push(views::message_created(scope, &conv, &views::message_without_agent(row.clone())));
            self.messages.push(row);
        }
        let message = store::message_row(scope, new_message(channel, contact, &conv, inbound, now));
        let updated = received(conv, inbound, reopened, now);
        if !self.touched.contains(&contact.id) {
            self.touched.push(contact.id);
        }
        self.conversations.insert(contact.id, updated.clone());
        let assignee = updated.assignee_id.and_then(|id| self.assignees.get(&id).cloned());
        let conversation_view = views::conversation_with(updated.clone(), contact, channel, assignee);
        if created {
            self.events.push(views::conversation_created(scope, &updated, &conversation_view));
        } else if !was_open && !inbound.is_echo {
            let change = ConversationChange::Status { resolved: false, reopened };
            self.events.push(views::conversation_updated(scope, &updated, &conversation_view, None, change));
        }
        let message_view = views::message_without_agent(message.clone());
        self.events.push(views::message_created(scope, &updated, &message_view));
        self.messages.push(message);
        Ok(())
    }
}

impl Applied {
    /// Presence-aware routing (off by default) gives a new conversation an active,
    /// available agent.
    async fn route(
        &mut self,
        txn: &DatabaseTransaction,
        scope: &Scope,
        conv: conversation::Model,
        inbound: &Inbound,
    ) -> AppResult<conversation::Model> {
        if inbound.is_echo {
            return Ok(conv);
        }
        let Some(agent) = super::routing::assignee_for_new(txn, scope, conv.team_id).await? else {
            return Ok(conv);
        };
        let routed = store::conversation_update(txn, scope, conv, |c| c.assignee_id = Set(Some(agent))).await?;
        if !self.assignees.contains_key(&agent) {
            let names = assignee_names(txn, scope, std::iter::once(&routed)).await?;
            self.assignees.extend(names);
        }
        Ok(routed)
    }
}

/// A conversation after a message arrived: activity and preview; a customer writing
/// again wakes it up (reopened when it was resolved).
fn received(mut c: conversation::Model, inbound: &Inbound, reopened: bool, now: DateTime<Utc>) -> conversation::Model {
    c.last_activity_at = now;
    c.updated_at = now;
    c.last_message_preview = preview(inbound.content.as_deref(), inbound.content_type);
    if !inbound.is_echo {
        c.last_incoming_at = Some(now);
        c.status = ConversationStatus::Open.as_str().into();
        c.snoozed_until = None;
        if reopened {
            c.resolved_at = None;
            c.reopened_count += 1;
        }
    }
    c
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
