//! Domain events → Socket.IO rooms. The only place that decides who hears what; every
//! room name starts with the event's tenant, so nothing crosses tenants.

use socketioxide::{SocketIo, adapter::Adapter};
use tokio::sync::broadcast::error::RecvError;

use super::rooms;
use crate::events::{ConversationRouting, DomainEvent, EventBus};

/// Event name and rooms for a domain event.
pub fn route(event: &DomainEvent) -> (&'static str, Vec<String>, &serde_json::Value) {
    let tenant = event.tenant_id();
    let conversation_rooms = |r: &ConversationRouting| {
        let mut rooms = vec![rooms::inbox(tenant), rooms::conversation(tenant, r.conversation_id)];
        if let Some(user) = r.assignee_id {
            rooms.push(rooms::user(tenant, user));
        }
        rooms
    };
    match event {
        DomainEvent::MessageCreated { routing, message, .. } => ("new_message", conversation_rooms(routing), message),
        DomainEvent::MessageStatusUpdated { routing, update, .. } => {
            ("message_status_update", conversation_rooms(routing), update)
        }
        DomainEvent::ConversationCreated { routing, conversation, .. } => {
            ("conversation_created", conversation_rooms(routing), conversation)
        }
        DomainEvent::ConversationUpdated { routing, conversation, previous_assignee_id, .. } => {
            let mut rooms = conversation_rooms(routing);
            if let Some(previous) = previous_assignee_id {
                rooms.push(rooms::user(tenant, *previous));
            }
            ("conversation_updated", rooms, conversation)
        }
        DomainEvent::ContactUpdated { contact, .. } => ("contact_updated", vec![rooms::inbox(tenant)], contact),
        DomainEvent::AccessRevoked { user_id, session_id, payload, .. } => {
            let room = match (session_id, user_id) {
                (Some(session), _) => rooms::session(tenant, *session),
                (None, Some(user)) => rooms::user(tenant, *user),
                (None, None) => rooms::inbox(tenant),
            };
            ("force_logout", vec![room], payload)
        }
        DomainEvent::ChargeCreated { conversation_id, update, .. }
        | DomainEvent::PaymentUpdated { conversation_id, update, .. } => {
            let mut rooms = vec![rooms::inbox(tenant)];
            rooms.extend(conversation_id.map(|c| rooms::conversation(tenant, c)));
            ("payment_update", rooms, update)
        }
        // Channel health is configuration: managers and admins see it, agents do not.
        DomainEvent::ChannelStatusChanged { channel, .. } => ("channel_status", vec![rooms::managers(tenant)], channel),
    }
}

/// Forwards bus events to sockets until the bus closes.
pub fn spawn<A: Adapter>(bus: &EventBus, io: SocketIo<A>) -> tokio::task::JoinHandle<()> {
    let mut rx = bus.subscribe();
    tokio::spawn(async move {
        loop {
            match rx.recv().await {
                Ok(event) => {
                    let (name, rooms, payload) = route(&event);
                    if let Err(e) = io.to(rooms.clone()).emit(name, payload).await {
                        tracing::warn!(error = %e, event = name, "socket emit failed");
                    }
                    // Revoked access: after telling them, close those sockets on every node.
                    if matches!(event.as_ref(), DomainEvent::AccessRevoked { .. })
                        && let Err(e) = io.to(rooms).disconnect().await
                    {
                        tracing::warn!(error = %e, "socket disconnect failed");
                    }
                }
                Err(RecvError::Lagged(n)) => {
                    tracing::warn!(skipped = n, "realtime fan-out lagged; clients will refetch")
                }
                Err(RecvError::Closed) => break,
            }
        }
    })
}
