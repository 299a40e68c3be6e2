//! Domain events → Socket.IO rooms. The only place that decides who hears what; every
//! room name starts with the event's tenant, so nothing crosses tenants.

use socketioxide::SocketIo;
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
        DomainEvent::AccessRevoked { user_id, payload, .. } => {
            let room = match user_id {
                Some(user) => rooms::user(tenant, *user),
                None => rooms::inbox(tenant),
            };
            ("force_logout", vec![room], payload)
        }
    }
}

/// Tells the affected sockets `force_logout` and closes them; with a session id, only
/// the sockets opened with that session.
async fn disconnect(io: &SocketIo, event: &DomainEvent, session_id: Option<uuid::Uuid>) {
    let (name, rooms, payload) = route(event);
    for socket in io.to(rooms).sockets() {
        let matches = match session_id {
            Some(sid) => socket.extensions.get::<crate::tenancy::Scope>().is_some_and(|s| s.session_id == Some(sid)),
            None => true,
        };
        if matches {
            let _ = socket.emit(name, payload);
            let _ = socket.disconnect();
        }
    }
}

/// Forwards bus events to sockets until the bus closes.
pub fn spawn(bus: &EventBus, io: SocketIo) -> tokio::task::JoinHandle<()> {
    let mut rx = bus.subscribe();
    tokio::spawn(async move {
        loop {
            match rx.recv().await {
                Ok(event) => {
                    if let DomainEvent::AccessRevoked { session_id, .. } = event.as_ref() {
                        disconnect(&io, &event, *session_id).await;
                        continue;
                    }
                    let (name, rooms, payload) = route(&event);
                    if let Err(e) = io.to(rooms).emit(name, payload).await {
                        tracing::warn!(error = %e, event = name, "socket emit failed");
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
