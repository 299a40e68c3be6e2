//! Typed domain events and their outbox. A service that changes something records the
//! event with [`record`] in the same transaction, commits, then calls
//! [`EventBus::wake`]: the [`dispatcher`] reads the outbox in order and hands each event
//! to every named subscriber (realtime fan-out now; productivity next), each with its
//! own cursor, so a restart or a slow subscriber loses nothing. Every event carries its
//! tenant id. Payloads are the REST API's own view types, so sockets and REST agree.
//!
//! Layering: this module depends only on the domains' `model` modules (plain types),
//! never on their services or stores; domains depend on it to record events.

pub mod dispatcher;
pub mod outbox;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DatabaseTransaction};
use serde::{Deserialize, Serialize};
use tokio::sync::watch;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    channels::model::ChannelStatusView,
    contacts::model::ContactView,
    inbox::model::{ConversationView, MessageStatus, MessageView, SenderType},
    payments::model::PaymentUpdate,
    productivity::model::{IdleWarning, PresenceView, ProductivitySettings},
    settings::model::AgentVisibility,
};

/// Where a conversation-related event should go.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ConversationRouting {
    pub conversation_id: Uuid,
    pub assignee_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
}

/// What changed in a conversation, for subscribers that count things (productivity).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ConversationChange {
    Status { resolved: bool, reopened: bool },
    Assignment,
    Other,
}

/// A message was stored (inbound, agent reply, private note or system message).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MessageCreated {
    pub tenant_id: Uuid,
    pub routing: ConversationRouting,
    pub message: MessageView,
}

impl MessageCreated {
    pub fn from_contact(&self) -> bool {
        self.message.sender_type == SenderType::Contact
    }
}

/// The `message_status_update` socket payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageStatusUpdate {
    pub id: Uuid,
    pub conversation_id: Uuid,
    pub status: MessageStatus,
    pub external_id: Option<String>,
    pub failure_reason: Option<String>,
    pub failure_code: Option<String>,
    pub delivery_attempts: i32,
    pub max_delivery_attempts: i32,
    pub sent_at: Option<DateTime<Utc>>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub read_at: Option<DateTime<Utc>>,
}

impl From<&MessageView> for MessageStatusUpdate {
    fn from(view: &MessageView) -> Self {
        MessageStatusUpdate {
            id: view.id,
            conversation_id: view.conversation_id,
            status: view.status,
            external_id: view.external_id.clone(),
            failure_reason: view.failure_reason.clone(),
            failure_code: view.failure_code.clone(),
            delivery_attempts: view.delivery_attempts,
            max_delivery_attempts: view.max_delivery_attempts,
            sent_at: view.sent_at,
            delivered_at: view.delivered_at,
            read_at: view.read_at,
        }
    }
}

/// A message moved PENDING → SENT → DELIVERED → READ, or FAILED.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MessageStatusUpdated {
    pub tenant_id: Uuid,
    pub routing: ConversationRouting,
    pub update: MessageStatusUpdate,
}

/// A new conversation was opened.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConversationCreated {
    pub tenant_id: Uuid,
    pub routing: ConversationRouting,
    pub conversation: ConversationView,
}

/// Status, assignee, team, snooze or unread changed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConversationUpdated {
    pub tenant_id: Uuid,
    pub routing: ConversationRouting,
    pub conversation: ConversationView,
    /// The previous assignee when it changed, so they learn they lost it.
    pub previous_assignee_id: Option<Uuid>,
    pub change: ConversationChange,
    /// The person who made the change (`None` for the system, and in events stored
    /// before it existed): productivity credits resolutions to them.
    #[serde(default)]
    pub actor_id: Option<Uuid>,
    /// Where the conversation was heard before the change, when its assignee or team
    /// changed: those who could see it then learn that it left their view.
    #[serde(default)]
    pub previous_routing: Option<ConversationRouting>,
}

/// A conversation folded into another one (a contact merge combined the person's two
/// open conversations on a channel): clients drop it and show `merged_into` instead.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConversationRemoved {
    pub tenant_id: Uuid,
    /// Where the removed conversation was heard (its rooms before it went away).
    pub routing: ConversationRouting,
    pub removed: ConversationRemoval,
}

/// `conversation_removed`'s payload.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConversationRemoval {
    pub id: Uuid,
    /// The conversation that now holds its messages.
    pub merged_into: Uuid,
}

/// A contact was created, edited or merged.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ContactUpdated {
    pub tenant_id: Uuid,
    pub contact: ContactView,
}

/// Why access ended (the `force_logout` payload's `reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RevokeReason {
    Logout,
    AccessRevoked,
    TenantSuspended,
    /// Auto-logout after idling (tenant setting).
    Idle,
    /// The login token expired (sockets only; the session simply ends).
    Expired,
}

/// The `force_logout` socket payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ForceLogout {
    pub reason: RevokeReason,
}

/// Access ended: a session logged out (`session_id`), a user was deactivated
/// (`user_id`), or a whole tenant suspended (neither). Live sockets are told and closed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessRevoked {
    pub tenant_id: Uuid,
    pub user_id: Option<Uuid>,
    pub session_id: Option<Uuid>,
    pub reason: RevokeReason,
    /// When (the measured clock); absent in events stored before it existed.
    #[serde(default)]
    pub at: Option<DateTime<Utc>>,
}

/// A tenant user signed in: a login session (and its work session) began.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgentSignedIn {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub session_id: Uuid,
    pub at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// An agent's presence changed (ACTIVE / IDLE / OFFLINE); the payload is the agent's
/// presence after the change.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgentStatusChanged {
    pub tenant_id: Uuid,
    pub presence: PresenceView,
}

/// An idle agent will be signed out automatically at `warning.logout_at`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IdleWarned {
    pub tenant_id: Uuid,
    pub user_id: Uuid,
    pub warning: IdleWarning,
}

/// An admin changed the remote-work settings (clients apply them live).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProductivitySettingsUpdated {
    pub tenant_id: Uuid,
    pub settings: ProductivitySettings,
}

/// An agent created an Asaas charge (productivity counts these).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChargeCreated {
    pub tenant_id: Uuid,
    /// The agent who created it (`None` for the system).
    pub user_id: Option<Uuid>,
    pub charge_id: Uuid,
    pub value_cents: i64,
    pub conversation_id: Option<Uuid>,
    pub update: PaymentUpdate,
}

/// A charge's status changed (webhook, on-demand refresh or cancel).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PaymentUpdated {
    pub tenant_id: Uuid,
    pub conversation_id: Option<Uuid>,
    pub update: PaymentUpdate,
}

/// A channel's connection state changed (Z-API connected / QR pending / disconnected,
/// or credentials refused by the provider).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChannelStatusChanged {
    pub tenant_id: Uuid,
    pub channel: ChannelStatusView,
}

/// An admin changed which conversations agents see (tenant setting). The fan-out
/// routes conversation events by the new mode from this event on; clients refetch.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AgentVisibilityChanged {
    pub tenant_id: Uuid,
    pub visibility: AgentVisibility,
}

/// The `agent_visibility_changed` socket payload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct AgentVisibilityUpdate {
    pub visibility: AgentVisibility,
}

/// Something that happened in a tenant. The `type` tag is part of the stored format.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DomainEvent {
    MessageCreated(MessageCreated),
    MessageStatusUpdated(MessageStatusUpdated),
    ConversationCreated(ConversationCreated),
    ConversationUpdated(ConversationUpdated),
    ConversationRemoved(ConversationRemoved),
    ContactUpdated(ContactUpdated),
    AccessRevoked(AccessRevoked),
    ChargeCreated(ChargeCreated),
    PaymentUpdated(PaymentUpdated),
    ChannelStatusChanged(ChannelStatusChanged),
    AgentSignedIn(AgentSignedIn),
    AgentStatusChanged(AgentStatusChanged),
    IdleWarned(IdleWarned),
    ProductivitySettingsUpdated(ProductivitySettingsUpdated),
    AgentVisibilityChanged(AgentVisibilityChanged),
}

impl DomainEvent {
    pub fn tenant_id(&self) -> Uuid {
        match self {
            DomainEvent::MessageCreated(e) => e.tenant_id,
            DomainEvent::MessageStatusUpdated(e) => e.tenant_id,
            DomainEvent::ConversationCreated(e) => e.tenant_id,
            DomainEvent::ConversationUpdated(e) => e.tenant_id,
            DomainEvent::ConversationRemoved(e) => e.tenant_id,
            DomainEvent::ContactUpdated(e) => e.tenant_id,
            DomainEvent::AccessRevoked(e) => e.tenant_id,
            DomainEvent::ChargeCreated(e) => e.tenant_id,
            DomainEvent::PaymentUpdated(e) => e.tenant_id,
            DomainEvent::ChannelStatusChanged(e) => e.tenant_id,
            DomainEvent::AgentSignedIn(e) => e.tenant_id,
            DomainEvent::AgentStatusChanged(e) => e.tenant_id,
            DomainEvent::IdleWarned(e) => e.tenant_id,
            DomainEvent::ProductivitySettingsUpdated(e) => e.tenant_id,
            DomainEvent::AgentVisibilityChanged(e) => e.tenant_id,
        }
    }

    /// The stored `kind` (the serde tag).
    pub fn kind(&self) -> &'static str {
        match self {
            DomainEvent::MessageCreated(_) => "message_created",
            DomainEvent::MessageStatusUpdated(_) => "message_status_updated",
            DomainEvent::ConversationCreated(_) => "conversation_created",
            DomainEvent::ConversationUpdated(_) => "conversation_updated",
            DomainEvent::ConversationRemoved(_) => "conversation_removed",
            DomainEvent::ContactUpdated(_) => "contact_updated",
            DomainEvent::AccessRevoked(_) => "access_revoked",
            DomainEvent::ChargeCreated(_) => "charge_created",
            DomainEvent::PaymentUpdated(_) => "payment_updated",
            DomainEvent::ChannelStatusChanged(_) => "channel_status_changed",
            DomainEvent::AgentSignedIn(_) => "agent_signed_in",
            DomainEvent::AgentStatusChanged(_) => "agent_status_changed",
            DomainEvent::IdleWarned(_) => "idle_warned",
            DomainEvent::ProductivitySettingsUpdated(_) => "productivity_settings_updated",
            DomainEvent::AgentVisibilityChanged(_) => "agent_visibility_changed",
        }
    }
}

macro_rules! into_event {
    ($($variant:ident),*) => {$(
        impl From<$variant> for DomainEvent {
            fn from(e: $variant) -> Self {
                DomainEvent::$variant(e)
            }
        }
    )*};
}
into_event!(
    MessageCreated,
    MessageStatusUpdated,
    ConversationCreated,
    ConversationUpdated,
    ConversationRemoved,
    ContactUpdated,
    AccessRevoked,
    ChargeCreated,
    PaymentUpdated,
    ChannelStatusChanged,
    AgentSignedIn,
    AgentStatusChanged,
    IdleWarned,
    ProductivitySettingsUpdated,
    AgentVisibilityChanged
);

/// Writes events to the outbox, inside the caller's transaction (they exist exactly
/// when the change does). Call [`EventBus::wake`] after the commit.
pub async fn record(db: &impl ConnectionTrait, events: Vec<DomainEvent>) -> Result<(), sea_orm::DbErr> {
    outbox::insert(db, &events).await
}

/// Commits a transaction that recorded events and wakes the dispatcher.
pub async fn commit(txn: DatabaseTransaction, bus: &EventBus) -> Result<(), sea_orm::DbErr> {
    txn.commit().await?;
    bus.wake();
    Ok(())
}

/// Wakes the dispatcher when events were committed (no polling delay on this node).
#[derive(Clone)]
pub struct EventBus {
    commits: Arc<watch::Sender<u64>>,
}

impl Default for EventBus {
    fn default() -> Self {
        EventBus { commits: Arc::new(watch::channel(0).0) }
    }
}

impl EventBus {
    /// Tells the dispatcher that new events were committed.
    pub fn wake(&self) {
        self.commits.send_modify(|n| *n = n.wrapping_add(1));
    }

    /// A receiver that changes on every wake.
    pub fn commits(&self) -> watch::Receiver<u64> {
        self.commits.subscribe()
    }
}
