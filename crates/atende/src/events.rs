//! Domain events and the in-process bus. Services publish after their transaction
//! commits; subscribers (realtime fan-out now, productivity and notifications later)
//! react. Every event carries its tenant id. Payloads are the REST API's JSON shapes.

use std::sync::Arc;

use serde_json::Value;
use tokio::sync::broadcast;
use uuid::Uuid;

/// Where a conversation-related event should go.
#[derive(Debug, Clone, Default)]
pub struct ConversationRouting {
    pub conversation_id: Uuid,
    pub assignee_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
}

/// Something that happened in a tenant.
#[derive(Debug, Clone)]
pub enum DomainEvent {
    /// A message was stored (inbound, agent reply, private note or system message).
    MessageCreated {
        tenant_id: Uuid,
        routing: ConversationRouting,
        message: Value,
        is_private: bool,
        from_contact: bool,
    },
    /// A message moved PENDING → SENT → DELIVERED → READ, or FAILED.
    MessageStatusUpdated { tenant_id: Uuid, routing: ConversationRouting, update: Value },
    /// A new conversation was opened.
    ConversationCreated { tenant_id: Uuid, routing: ConversationRouting, conversation: Value },
    /// Status, assignee, team, snooze or unread changed.
    ConversationUpdated {
        tenant_id: Uuid,
        routing: ConversationRouting,
        conversation: Value,
        /// The previous assignee when it changed, so they learn they lost it.
        previous_assignee_id: Option<Uuid>,
        change: ConversationChange,
    },
    /// A contact was created, edited or merged.
    ContactUpdated { tenant_id: Uuid, contact: Value },
    /// Access ended: a session logged out (`session_id`), a user deactivated (`user_id`),
    /// or a whole tenant suspended (neither). Live sockets are told and disconnected.
    AccessRevoked {
        tenant_id: Uuid,
        user_id: Option<Uuid>,
        session_id: Option<Uuid>,
        reason: &'static str,
        payload: Value,
    },
    /// An agent created an Asaas charge (productivity counts these).
    ChargeCreated {
        tenant_id: Uuid,
        /// The agent who created it (`None` for the system).
        user_id: Option<Uuid>,
        charge_id: Uuid,
        value_cents: i64,
        conversation_id: Option<Uuid>,
        /// The `payment_update` payload.
        update: Value,
    },
    /// A charge's status changed (webhook, on-demand refresh or cancel).
    PaymentUpdated {
        tenant_id: Uuid,
        conversation_id: Option<Uuid>,
        /// `{chargeId, status, contactId, conversationId}`.
        update: Value,
    },
    /// A channel's connection state changed (Z-API connected / QR pending /
    /// disconnected, or credentials refused by the provider).
    ChannelStatusChanged { tenant_id: Uuid, channel: Value },
}

/// What changed in a conversation, for subscribers that count things (productivity).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConversationChange {
    Status { resolved: bool, reopened: bool },
    Assignment,
    Other,
}

impl DomainEvent {
    pub fn tenant_id(&self) -> Uuid {
        match self {
            DomainEvent::MessageCreated { tenant_id, .. }
            | DomainEvent::MessageStatusUpdated { tenant_id, .. }
            | DomainEvent::ConversationCreated { tenant_id, .. }
            | DomainEvent::ConversationUpdated { tenant_id, .. }
            | DomainEvent::ContactUpdated { tenant_id, .. }
            | DomainEvent::AccessRevoked { tenant_id, .. }
            | DomainEvent::ChargeCreated { tenant_id, .. }
            | DomainEvent::PaymentUpdated { tenant_id, .. }
            | DomainEvent::ChannelStatusChanged { tenant_id, .. } => *tenant_id,
        }
    }
}

/// Broadcast bus; slow subscribers lose the oldest events (and log it), never block publishers.
#[derive(Clone)]
pub struct EventBus {
    sender: broadcast::Sender<Arc<DomainEvent>>,
}

impl Default for EventBus {
    fn default() -> Self {
        Self::new(4096)
    }
}

impl EventBus {
    pub fn new(capacity: usize) -> Self {
        EventBus { sender: broadcast::channel(capacity).0 }
    }

    /// Publishes to every current subscriber.
    pub fn publish(&self, event: DomainEvent) {
        let _ = self.sender.send(Arc::new(event));
    }

    pub fn subscribe(&self) -> broadcast::Receiver<Arc<DomainEvent>> {
        self.sender.subscribe()
    }
}
