//! The `productivity` outbox subscriber: a login opens its work session, a logout or
//! revocation closes it. Idempotent: a replayed login finds its session already
//! measured; a replayed logout finds nothing open. And the `productivity-metrics`
//! subscriber, which projects conversation events onto the metrics tables.

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::{
    facts::{self, EventType, NewEvent, Pos, Signal},
    facts_store::{self, Context},
    presence::EndReason,
    service,
};
use crate::{
    events::{
        ConversationChange, DomainEvent, RevokeReason,
        dispatcher::{StartAt, Subscriber},
        outbox::StoredEvent,
    },
    state::AppState,
    tenancy::Scope,
};

pub struct Projector {
    pub state: AppState,
}

#[async_trait::async_trait]
impl Subscriber for Projector {
    fn name(&self) -> &'static str {
        "productivity"
    }

    fn start_at(&self) -> StartAt {
        StartAt::Beginning
    }

    async fn handle(&self, events: &[StoredEvent]) -> anyhow::Result<()> {
        for stored in events {
            match &stored.event {
                DomainEvent::AgentSignedIn(e) => {
                    service::signed_in(&self.state, e.tenant_id, e.user_id, e.session_id, e.at, e.expires_at).await?;
                }
                DomainEvent::AccessRevoked(e) => {
                    let why = match e.reason {
                        RevokeReason::Logout => EndReason::Logout,
                        RevokeReason::AccessRevoked
                        | RevokeReason::TenantSuspended
                        | RevokeReason::Idle
                        | RevokeReason::Expired => EndReason::Forced,
                    };
                    let at = e.at.unwrap_or(stored.created_at);
                    service::access_ended(&self.state, e.tenant_id, e.user_id, e.session_id, why, at).await?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// The `productivity-metrics` outbox subscriber: conversation, message and charge
/// events become productivity events and per-conversation facts (`facts.rs`), exactly
/// once per event: a cycle remembers the last outbox position applied to it, and
/// productivity events are unique per source event and type.
pub struct MetricsProjector {
    pub db: DatabaseConnection,
}

/// The subscriber's cursor name.
pub const METRICS: &str = "productivity-metrics";

#[async_trait::async_trait]
impl Subscriber for MetricsProjector {
    fn name(&self) -> &'static str {
        METRICS
    }

    fn start_at(&self) -> StartAt {
        StartAt::Beginning
    }

    async fn handle(&self, events: &[StoredEvent]) -> anyhow::Result<()> {
        for stored in events {
            project(&self.db, stored).await?;
        }
        Ok(())
    }
}

/// The channel name a conversation event carries (for the reports' labels).
fn channel_of(stored: &StoredEvent) -> Option<(Uuid, &str)> {
    match &stored.event {
        DomainEvent::ConversationCreated(e) => Some((e.conversation.channel.id, &e.conversation.channel.name)),
        DomainEvent::ConversationUpdated(e) => Some((e.conversation.channel.id, &e.conversation.channel.name)),
        _ => None,
    }
}

/// What a conversation event says, for `facts::apply`.
fn signal_of(stored: &StoredEvent) -> Option<(Uuid, Uuid, Signal, DateTime<Utc>)> {
    match &stored.event {
        DomainEvent::ConversationCreated(e) => {
            let c = &e.conversation;
            let signal = Signal::Opened {
                channel_id: c.channel.id,
                contact_id: Some(c.contact.id),
                team_id: c.team_id,
                assignee_id: c.assignee.as_ref().map(|a| a.id),
            };
            Some((e.tenant_id, c.id, signal, c.created_at))
        }
        DomainEvent::MessageCreated(e) => {
            let m = &e.message;
            // Only agent messages name their author; agent messages with no author were
            // typed on the business phone, system messages have none either.
            let signal = match &m.sender {
                // Activity lines (assignment, status…) are not replies of anyone.
                _ if m.activity.is_some() => return None,
                _ if e.from_contact() => Signal::Inbound { channel_id: m.channel_id, contact_id: m.contact_id },
                Some(sender) => Signal::Reply { agent_id: sender.id, channel_id: m.channel_id, private: m.is_private },
                None => return None,
            };
            Some((e.tenant_id, m.conversation_id, signal, m.created_at))
        }
        DomainEvent::ConversationUpdated(e) => {
            let c = &e.conversation;
            let (resolved, reopened) = match e.change {
                ConversationChange::Status { resolved, reopened } => (resolved, reopened),
                _ => (false, false),
            };
            let signal = Signal::Updated {
                channel_id: c.channel.id,
                contact_id: Some(c.contact.id),
                team_id: c.team_id,
                assignee_id: c.assignee.as_ref().map(|a| a.id),
                resolved_at: c.resolved_at,
                resolved,
                reopened,
                actor: e.actor_id,
                created_at: c.created_at,
                reopened_count: c.reopened_count,
            };
            Some((e.tenant_id, c.id, signal, stored.created_at))
        }
        _ => None,
    }
}

/// Applies one outbox event to the metrics tables, in one transaction.
pub async fn project(db: &DatabaseConnection, stored: &StoredEvent) -> anyhow::Result<()> {
    if let DomainEvent::ChargeCreated(e) = &stored.event {
        let scope = Scope::system(e.tenant_id);
        let charge = NewEvent {
            event_type: EventType::ChargeCreated,
            agent_id: e.user_id,
            at: stored.created_at,
            metadata: serde_json::json!({ "chargeId": e.charge_id, "valueCents": e.value_cents }),
        };
        let context = Context { conversation_id: e.conversation_id, ..Context::default() };
        facts_store::insert_events(db, &scope, stored.seq, context, &[charge]).await?;
        return Ok(());
    }
    let Some((tenant_id, conversation_id, signal, at)) = signal_of(stored) else { return Ok(()) };
    let scope = Scope::system(tenant_id);
    let pos = Pos { txid: stored.position.txid, seq: stored.position.seq };
    let txn = crate::db::begin_write(db).await?;
    if let Some((channel, name)) = channel_of(stored) {
        facts_store::save_label(&txn, &scope, channel, "channel", name).await?;
    }
    let current = facts_store::latest_cycle(&txn, &scope, conversation_id).await?;
    if current.as_ref().is_some_and(|c| facts::seen(c, pos)) {
        txn.rollback().await?;
        return Ok(());
    }
    let outcome = facts::apply(tenant_id, conversation_id, current, &signal, at, pos);
    let context = outcome.cycles.last().map_or_else(Context::default, |c| Context {
        conversation_id: Some(conversation_id),
        channel_id: Some(c.channel_id),
        team_id: c.team_id,
    });
    if let Some((contact, channel)) = outcome.follow_up {
        facts_store::follow_up(&txn, &scope, contact, channel, conversation_id, at).await?;
    }
    for cycle in outcome.cycles {
        facts_store::save_cycle(&txn, &scope, cycle).await?;
    }
    facts_store::insert_events(&txn, &scope, stored.seq, context, &outcome.events).await?;
    txn.commit().await?;
    Ok(())
}
