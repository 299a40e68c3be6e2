//! Building API views of conversations and messages in batches (one query per related
//! table, never one per row), and the domain events that carry them.

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
use sea_orm::ConnectionTrait;

use crate::{
    channels::{self, model::ChannelSummary, model::ChannelType},
    contacts::{self, model::ContactSummary},
    error::AppResult,
    events::{
        ConversationChange, ConversationCreated, ConversationRouting, ConversationUpdated, DomainEvent, MessageCreated,
        MessageStatusUpdated,
    },
    tenancy::Scope,
    users,
};

/// Views of conversations; `unread_for` adds that user's unread counts.
pub async fn conversations(
    db: &impl ConnectionTrait,
    scope: &Scope,
    rows: Vec<conversation::Model>,
    unread_for: Option<Uuid>,
) -> AppResult<Vec<ConversationView>> {
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
        .map(|c| {
            let assignee =
                c.assignee_id.and_then(|id| agents.get(&id)).map(|u| AssigneeRef { id: u.id, name: u.name.clone() });
            let contact = contacts.get(&c.contact_id).map(ContactSummary::from).unwrap_or_else(|| ContactSummary {
                id: c.contact_id,
                name: String::new(),
                phone: None,
                email: None,
            });
            let channel = channels.get(&c.channel_id).map(channel_summary).unwrap_or(ChannelSummary {
                id: c.channel_id,
                channel_type: ChannelType::Api,
                name: String::new(),
            });
            let unread_count = unread_for.map(|_| unread.get(&c.id).copied().unwrap_or(0));
            view_of(c, contact, channel, assignee, unread_count)
        })
        .collect())
}

/// One conversation's view.
pub async fn conversation(
    db: &impl ConnectionTrait,
    scope: &Scope,
    row: conversation::Model,
    unread_for: Option<Uuid>,
) -> AppResult<ConversationView> {
    Ok(conversations(db, scope, vec![row], unread_for).await?.remove(0))
}

/// One conversation's view when its contact, channel and assignee are at hand (the
/// inbound pipeline looks them up once per batch).
pub fn conversation_with(
    c: conversation::Model,
    contact: &contacts::entity::contact::Model,
    channel: &channels::entity::Model,
    assignee: Option<AssigneeRef>,
) -> ConversationView {
    view_of(c, ContactSummary::from(contact), channel_summary(channel), assignee, None)
}

/// A message's view when it has no agent sender (an inbound message).
pub fn message_without_agent(row: message::Model) -> MessageView {
    message_view(row, &HashMap::new())
}

fn channel_summary(channel: &channels::entity::Model) -> ChannelSummary {
    ChannelSummary {
        id: channel.id,
        channel_type: ChannelType::parse(&channel.channel_type).unwrap_or(ChannelType::Api),
        name: channel.name.clone(),
    }
}

fn view_of(
    c: conversation::Model,
    contact: ContactSummary,
    channel: ChannelSummary,
    assignee: Option<AssigneeRef>,
    unread_count: Option<u64>,
) -> ConversationView {
    ConversationView {
        id: c.id,
        status: ConversationStatus::parse(&c.status).unwrap_or(ConversationStatus::Open),
        snoozed_until: c.snoozed_until,
        assignee,
        team_id: c.team_id,
        contact,
        channel,
        last_message_preview: c.last_message_preview,
        last_activity_at: c.last_activity_at,
        last_incoming_at: c.last_incoming_at,
        first_reply_at: c.first_reply_at,
        resolved_at: c.resolved_at,
        reopened_count: c.reopened_count,
        unread_count,
        created_at: c.created_at,
    }
}

/// Views of messages, with agent names.
pub async fn messages(
    db: &impl ConnectionTrait,
    scope: &Scope,
    rows: Vec<message::Model>,
) -> AppResult<Vec<MessageView>> {
    let mut agent_ids: Vec<Uuid> = rows.iter().filter_map(|m| m.sender_user_id).collect();
    agent_ids.sort();
    agent_ids.dedup();
    let agents: HashMap<Uuid, String> = if agent_ids.is_empty() {
        HashMap::new()
    } else {
        users::store::get_many(db, scope, &agent_ids).await?.into_iter().map(|u| (u.id, u.name)).collect()
    };
    Ok(rows.into_iter().map(|m| message_view(m, &agents)).collect())
}

/// One message's view.
pub async fn message(db: &impl ConnectionTrait, scope: &Scope, row: message::Model) -> AppResult<MessageView> {
    Ok(messages(db, scope, vec![row]).await?.remove(0))
}

fn message_view(m: message::Model, agents: &HashMap<Uuid, String>) -> MessageView {
    let attachments: Vec<AttachmentRef> =
        m.attachments.clone().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default();
    let activity = super::activity::of_metadata(&m.content_type, m.metadata.as_ref());
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
        metadata: if activity.is_some() { None } else { m.metadata },
        external_id: m.external_id,
        status: MessageStatus::parse(&m.status).unwrap_or(MessageStatus::Pending),
        failure_reason: m.failure_reason,
        failure_code: m.failure_code,
        delivery_attempts: m.delivery_attempts,
        max_delivery_attempts: super::delivery::max_attempts(),
        is_private: m.is_private,
        activity,
        created_at: m.created_at,
        sent_at: m.sent_at,
        delivered_at: m.delivered_at,
        read_at: m.read_at,
    }
}

pub fn routing(c: &conversation::Model) -> ConversationRouting {
    ConversationRouting { conversation_id: c.id, assignee_id: c.assignee_id, team_id: c.team_id }
}

/// `new_message`: a message was stored.
pub fn message_created(scope: &Scope, c: &conversation::Model, view: &MessageView) -> DomainEvent {
    MessageCreated { tenant_id: scope.tenant_id, routing: routing(c), message: view.clone() }.into()
}

/// `message_status_update`: a message's delivery status moved.
pub fn status_updated(scope: &Scope, c: &conversation::Model, view: &MessageView) -> DomainEvent {
    MessageStatusUpdated { tenant_id: scope.tenant_id, routing: routing(c), update: view.into() }.into()
}

/// `conversation_created`.
pub fn conversation_created(scope: &Scope, c: &conversation::Model, view: &ConversationView) -> DomainEvent {
    ConversationCreated { tenant_id: scope.tenant_id, routing: routing(c), conversation: view.clone() }.into()
}

/// `conversation_updated`.
pub fn conversation_updated(
    scope: &Scope,
    c: &conversation::Model,
    view: &ConversationView,
    previous_assignee_id: Option<Uuid>,
    change: ConversationChange,
) -> DomainEvent {
    ConversationUpdated {
        tenant_id: scope.tenant_id,
        routing: routing(c),
        conversation: view.clone(),
        previous_assignee_id,
        change,
        actor_id: (!scope.is_system()).then_some(scope.user_id),
        previous_routing: None,
    }
    .into()
}

/// `conversation_updated` for a change from `before`: when the assignee or team
/// changed, the previous assignee and routing go with it, so those who could see the
/// conversation before learn that it moved.
pub fn conversation_updated_from(
    scope: &Scope,
    before: &conversation::Model,
    c: &conversation::Model,
    view: &ConversationView,
    change: ConversationChange,
) -> DomainEvent {
    let previous_assignee_id = before.assignee_id.filter(|p| Some(*p) != c.assignee_id);
    let moved = before.assignee_id != c.assignee_id || before.team_id != c.team_id;
    let mut event = conversation_updated(scope, c, view, previous_assignee_id, change);
    if let DomainEvent::ConversationUpdated(e) = &mut event
        && moved
    {
        e.previous_routing = Some(routing(before));
    }
    event
}
