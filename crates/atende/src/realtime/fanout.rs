//! Domain events → Socket.IO rooms: the `realtime` subscriber of the event outbox. The
//! only place that decides who hears what; every room name starts with the event's
//! tenant, so nothing crosses tenants. With several instances the leader emits once and
//! the Redis adapter carries it to every node's sockets.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::DatabaseConnection;
use serde_json::Value;
use socketioxide::{SocketIo, adapter::Adapter};
use tokio::sync::Mutex;
use uuid::Uuid;

use super::rooms;
use crate::{
    events::{
        AgentVisibilityUpdate, ConversationRouting, DomainEvent, ForceLogout,
        dispatcher::{StartAt, Subscriber},
        outbox::StoredEvent,
    },
    settings::AgentVisibility,
    tenancy::Scope,
};

/// The Socket.IO events the server emits: event name → payload. Part of the OpenAPI
/// document (components), so the web app's socket code uses generated types.
#[derive(Debug, utoipa::ToSchema)]
#[allow(dead_code)]
pub struct SocketEvents {
    new_message: crate::inbox::model::MessageView,
    message_status_update: crate::events::MessageStatusUpdate,
    conversation_created: crate::inbox::model::ConversationView,
    conversation_updated: crate::inbox::model::ConversationView,
    conversation_removed: crate::events::ConversationRemoval,
    contact_updated: crate::contacts::model::ContactView,
    payment_update: crate::payments::model::PaymentUpdate,
    channel_status: crate::channels::model::ChannelStatusView,
    force_logout: ForceLogout,
    agent_status_update: crate::productivity::model::PresenceView,
    presence_snapshot: crate::productivity::model::PresenceBoard,
    idle_warning: crate::productivity::model::IdleWarning,
    productivity_settings_updated: crate::productivity::model::ProductivitySettings,
    agent_visibility_changed: AgentVisibilityUpdate,
}

/// Events older than this when delivered (the server was down) are not pushed:
/// clients refetch on reconnect, and a flood of old notifications helps nobody.
const STALE_AFTER: chrono::Duration = chrono::Duration::minutes(2);

fn json<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// The rooms of the sockets that may see a conversation routed so, when agents see
/// `visibility`: managers and admins, the assignee, and the agents the mode lets see it
/// (every agent, the queue of its team, or the queue of conversations with no assignee
/// and no team). Agents join every queue room they could need at connection, so a
/// change of mode changes only this choice, never the sockets' rooms.
pub fn conversation_rooms(tenant: Uuid, r: &ConversationRouting, visibility: AgentVisibility) -> Vec<String> {
    let mut out = vec![rooms::managers(tenant)];
    if let Some(user) = r.assignee_id {
        out.push(rooms::user(tenant, user));
    }
    match visibility {
        AgentVisibility::All => out.push(rooms::agents(tenant)),
        AgentVisibility::Teams => match (r.team_id, r.assignee_id) {
            (Some(team), _) => out.push(rooms::team_queue(tenant, team)),
            (None, None) => out.push(rooms::unqueued(tenant)),
            (None, Some(_)) => {}
        },
        AgentVisibility::Own => {}
    }
    out
}

/// Event name, rooms and payload for a domain event, with agents seeing `visibility`.
pub fn route(event: &DomainEvent, visibility: AgentVisibility) -> (&'static str, Vec<String>, Value) {
    let tenant = event.tenant_id();
    let conversation_rooms = |r: &ConversationRouting| conversation_rooms(tenant, r, visibility);
    match event {
        DomainEvent::MessageCreated(e) => ("new_message", conversation_rooms(&e.routing), json(&e.message)),
        DomainEvent::MessageStatusUpdated(e) => {
            ("message_status_update", conversation_rooms(&e.routing), json(&e.update))
        }
        DomainEvent::ConversationCreated(e) => {
            ("conversation_created", conversation_rooms(&e.routing), json(&e.conversation))
        }
        DomainEvent::ConversationUpdated(e) => {
            // Those who saw it before the move hear it too, so their lists drop it.
            let mut rooms = conversation_rooms(&e.routing);
            rooms.extend(e.previous_routing.as_ref().map(conversation_rooms).unwrap_or_default());
            if let Some(previous) = e.previous_assignee_id {
                rooms.push(rooms::user(tenant, previous));
            }
            rooms.sort();
            rooms.dedup();
            ("conversation_updated", rooms, json(&e.conversation))
        }
        DomainEvent::ConversationRemoved(e) => {
            ("conversation_removed", conversation_rooms(&e.routing), json(&e.removed))
        }
        DomainEvent::ContactUpdated(e) => ("contact_updated", vec![rooms::inbox(tenant)], json(&e.contact)),
        DomainEvent::AccessRevoked(e) => {
            let room = match (e.session_id, e.user_id) {
                (Some(session), _) => rooms::session(tenant, session),
                (None, Some(user)) => rooms::user(tenant, user),
                (None, None) => rooms::inbox(tenant),
            };
            ("force_logout", vec![room], json(&ForceLogout { reason: e.reason }))
        }
        DomainEvent::ChargeCreated(e) => ("payment_update", payment_rooms(tenant, e.conversation_id), json(&e.update)),
        DomainEvent::PaymentUpdated(e) => ("payment_update", payment_rooms(tenant, e.conversation_id), json(&e.update)),
        // Channel health is configuration: managers and admins see it, agents do not.
        DomainEvent::ChannelStatusChanged(e) => ("channel_status", vec![rooms::managers(tenant)], json(&e.channel)),
        // The agent, admins, and the supervisors of the agent's teams (not every manager).
        DomainEvent::AgentStatusChanged(e) => {
            let mut rooms = vec![rooms::user(tenant, e.presence.agent_id), rooms::all_presence(tenant)];
            rooms.extend(e.presence.team_ids.iter().map(|t| rooms::team_presence(tenant, *t)));
            ("agent_status_update", rooms, json(&e.presence))
        }
        DomainEvent::IdleWarned(e) => ("idle_warning", vec![rooms::user(tenant, e.user_id)], json(&e.warning)),
        DomainEvent::ProductivitySettingsUpdated(e) => {
            ("productivity_settings_updated", vec![rooms::inbox(tenant)], json(&e.settings))
        }
        DomainEvent::AgentVisibilityChanged(e) => (
            "agent_visibility_changed",
            vec![rooms::inbox(tenant)],
            json(&AgentVisibilityUpdate { visibility: e.visibility }),
        ),
        // Nothing to push: the login's own answer carries the session.
        DomainEvent::AgentSignedIn(_) => ("", Vec::new(), Value::Null),
    }
}

fn payment_rooms(tenant: uuid::Uuid, conversation_id: Option<uuid::Uuid>) -> Vec<String> {
    let mut rooms = vec![rooms::inbox(tenant)];
    rooms.extend(conversation_id.map(|c| rooms::conversation(tenant, c)));
    rooms
}

/// The outbox subscriber that pushes events to sockets.
pub struct Fanout<A: Adapter> {
    io: SocketIo<A>,
    db: DatabaseConnection,
    /// Each tenant's agent visibility, read once and then followed through
    /// `agent_visibility_changed` events (in outbox order with the events it routes).
    visibility: Mutex<HashMap<Uuid, AgentVisibility>>,
}

impl<A: Adapter> Fanout<A> {
    pub fn new(io: SocketIo<A>, db: DatabaseConnection) -> Self {
        Fanout { io, db, visibility: Mutex::new(HashMap::new()) }
    }

    async fn visibility(&self, event: &DomainEvent) -> AgentVisibility {
        let tenant = event.tenant_id();
        let mut known = self.visibility.lock().await;
        if let DomainEvent::AgentVisibilityChanged(e) = event {
            known.insert(tenant, e.visibility);
            return e.visibility;
        }
        if let Some(v) = known.get(&tenant) {
            return *v;
        }
        match crate::settings::load(&self.db, &Scope::system(tenant)).await {
            Ok(settings) => *known.entry(tenant).or_insert(settings.agent_visibility),
            Err(e) => {
                // Unknown for now: route as the narrowest mode (agents refetch), ask again next time.
                tracing::warn!(error = %e, "agent visibility unreadable");
                AgentVisibility::Own
            }
        }
    }
}

#[async_trait::async_trait]
impl<A: Adapter> Subscriber for Fanout<A> {
    fn name(&self) -> &'static str {
        "realtime"
    }

    /// Live notifications: a new deployment does not replay history to sockets.
    fn start_at(&self) -> StartAt {
        StartAt::Now
    }

    /// Emit failures are logged, not retried: sockets are best effort (clients refetch
    /// on reconnect), and retrying would hold back every later event.
    async fn handle(&self, events: &[StoredEvent]) -> anyhow::Result<()> {
        let oldest_useful = Utc::now() - STALE_AFTER;
        for stored in events {
            let visibility = self.visibility(&stored.event).await;
            if stored.created_at < oldest_useful {
                continue;
            }
            let (name, rooms, payload) = route(&stored.event, visibility);
            if rooms.is_empty() {
                continue;
            }
            if let Err(e) = self.io.to(rooms.clone()).emit(name, &payload).await {
                tracing::warn!(error = %e, event = name, "socket emit failed");
            }
            // Revoked access: after telling them, close those sockets on every node.
            if matches!(stored.event, DomainEvent::AccessRevoked(_))
                && let Err(e) = self.io.to(rooms).disconnect().await
            {
                tracing::warn!(error = %e, "socket disconnect failed");
            }
        }
        Ok(())
    }
}
