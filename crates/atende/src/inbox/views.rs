//! Building API views of conversations and messages in batches (one query per related
//! table, never one per row), and publishing them as domain events.

use std::collections::HashMap;

use uuid::Uuid;

use super::{
    entity::{conversation, message},
    model::{
        AssigneeRef, AttachmentRef, ContentType, ConversationStatus, ConversationView, MessageStatus, MessageView,
        SenderRef, SenderType,
    },
    store,
};
use crate::{
    app::AppState,
    channels::{self, model::ChannelSummary, model::ChannelType},
    contacts::{self, model::ContactSummary},
    error::AppResult,
    events::{ConversationChange, ConversationRouting, DomainEvent},
    tenancy::Scope,
    users,
};

/// Views of conversations; `unread_for` adds that user's unread counts.
pub async fn conversations(
    state: &AppState,
    scope: &Scope,
    rows: Vec<conversation::Model>,
    unread_for: Option<Uuid>,
) -> AppResult<Vec<ConversationView>> {
    let db = &state.db;
    let ids = |f: fn(&conversation::Model) -> Option<Uuid>| -> Vec<Uuid> {
        let mut v: Vec<Uuid> = rows.iter().filter_map(f).collect();
        v.sort();
        v.dedup();
        v
    };
    let contacts: HashMap<Uuid, _> = contacts::store::get_many(db, scope, &ids(|c| Some(c.contact_id)))
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let channels: HashMap<Uuid, _> = channels::store::get_many(db, scope, &ids(|c| Some(c.channel_id)))
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let agents: HashMap<Uuid, _> =
        users::store::get_many(db, scope, &ids(|c| c.assignee_id)).await?.into_iter().map(|u| (u.id, u)).collect();
    let unread = match unread_for {
        Some(user_id) => store::unread_counts(db, scope, user_id, &ids(|c| Some(c.id))).await?,
        None => HashMap::new(),
    };
    Ok(rows
        .into_iter()
        .map(|c| ConversationView {
            id: c.id,
            status: ConversationStatus::parse(&c.status).unwrap_or(ConversationStatus::Open),
            snoozed_until: c.snoozed_until,
            assignee: c
                .assignee_id
                .and_then(|id| agents.get(&id))
                .map(|u| AssigneeRef { id: u.id, name: u.name.clone() }),
            team_id: c.team_id,
            contact: contacts.get(&c.contact_id).map(ContactSummary::from).unwrap_or_else(|| ContactSummary {
                id: c.contact_id,
                name: String::new(),
                phone: None,
                email: None,
            }),
            channel: channels
                .get(&c.channel_id)
                .map(|ch| ChannelSummary {
                    id: ch.id,
                    channel_type: ChannelType::parse(&ch.channel_type).unwrap_or(ChannelType::Api),
                    name: ch.name.clone(),
                })
                .unwrap_or(ChannelSummary { id: c.channel_id, channel_type: ChannelType::Api, name: String::new() }),
            last_message_preview: c.last_message_preview,
            last_activity_at: c.last_activity_at,
            last_incoming_at: c.last_incoming_at,
            first_reply_at: c.first_reply_at,
            resolved_at: c.resolved_at,
            reopened_count: c.reopened_count,
            unread_count: unread_for.map(|_| unread.get(&c.id).copied().unwrap_or(0)),
            created_at: c.created_at,
        })
        .collect())
}

/// One conversation's view.
pub async fn conversation(
    state: &AppState,
    scope: &Scope,
    row: conversation::Model,
    unread_for: Option<Uuid>,
) -> AppResult<ConversationView> {
    Ok(conversations(state, scope, vec![row], unread_for).await?.remove(0))
}

/// Views of messages, with agent names.
pub async fn messages(state: &AppState, scope: &Scope, rows: Vec<message::Model>) -> AppResult<Vec<MessageView>> {
    let mut agent_ids: Vec<Uuid> = rows.iter().filter_map(|m| m.sender_user_id).collect();
    agent_ids.sort();
    agent_ids.dedup();
    let agents: HashMap<Uuid, String> =
        users::store::get_many(&state.db, scope, &agent_ids).await?.into_iter().map(|u| (u.id, u.name)).collect();
    Ok(rows.into_iter().map(|m| message_view(m, &agents)).collect())
}

/// One message's view.
pub async fn message(state: &AppState, scope: &Scope, row: message::Model) -> AppResult<MessageView> {
    Ok(messages(state, scope, vec![row]).await?.remove(0))
}

fn message_view(m: message::Model, agents: &HashMap<Uuid, String>) -> MessageView {
    let attachments: Vec<AttachmentRef> =
        m.attachments.clone().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default();
    MessageView {
        id: m.id,
        conversation_id: m.conversation_id,
        channel_id: m.channel_id,
        sender_type: SenderType::parse(&m.sender_type).unwrap_or(SenderType::System),
        sender: m.sender_user_id.map(|id| SenderRef { id, name: agents.get(&id).cloned().unwrap_or_default() }),
        contact_id: m.contact_id,
        content: m.content,
        content_type: ContentType::parse(&m.content_type).unwrap_or_default(),
        attachments,
        metadata: m.metadata,
        external_id: m.external_id,
        status: MessageStatus::parse(&m.status).unwrap_or(MessageStatus::Pending),
        failure_reason: m.failure_reason,
        is_private: m.is_private,
        created_at: m.created_at,
        sent_at: m.sent_at,
        delivered_at: m.delivered_at,
        read_at: m.read_at,
    }
}

pub fn routing(c: &conversation::Model) -> ConversationRouting {
    ConversationRouting { conversation_id: c.id, assignee_id: c.assignee_id, team_id: c.team_id }
}

fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// Publishes `new_message`.
pub fn publish_message(state: &AppState, scope: &Scope, c: &conversation::Model, view: &MessageView) {
    state.events.publish(DomainEvent::MessageCreated {
        tenant_id: scope.tenant_id,
        routing: routing(c),
        message: json(view),
        is_private: view.is_private,
        from_contact: view.sender_type == SenderType::Contact,
    });
}

/// Publishes `message_status_update`.
pub fn publish_status(state: &AppState, scope: &Scope, c: &conversation::Model, view: &MessageView) {
    state.events.publish(DomainEvent::MessageStatusUpdated {
        tenant_id: scope.tenant_id,
        routing: routing(c),
        update: serde_json::json!({
            "id": view.id,
            "conversationId": view.conversation_id,
            "status": view.status,
            "externalId": view.external_id,
            "failureReason": view.failure_reason,
            "sentAt": view.sent_at,
            "deliveredAt": view.delivered_at,
            "readAt": view.read_at,
        }),
    });
}

/// Publishes `conversation_created`.
pub fn publish_created(state: &AppState, scope: &Scope, c: &conversation::Model, view: &ConversationView) {
    state.events.publish(DomainEvent::ConversationCreated {
        tenant_id: scope.tenant_id,
        routing: routing(c),
        conversation: json(view),
    });
}

/// Publishes `conversation_updated`.
pub fn publish_updated(
    state: &AppState,
    scope: &Scope,
    c: &conversation::Model,
    view: &ConversationView,
    previous_assignee_id: Option<Uuid>,
    change: ConversationChange,
) {
    state.events.publish(DomainEvent::ConversationUpdated {
        tenant_id: scope.tenant_id,
        routing: routing(c),
        conversation: json(view),
        previous_assignee_id,
        change,
    });
}
