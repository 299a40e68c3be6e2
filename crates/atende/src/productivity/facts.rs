//! The projection of conversation events onto per-conversation facts, free of the
//! database: one fact row per cycle (the opening, or a reopening, up to its
//! resolution) and the productivity events each change produces. The projector
//! (`projector.rs`) feeds it what it reads from the outbox and stores the result.
//!
//! Definitions (DESIGN.md §6): a cycle starts when the conversation is created or
//! reopened; its first inbound message starts the first-response clock, which the
//! first non-private reply of an agent stops (private notes, bot/system messages and
//! messages typed on the business phone are not agent replies); the first agent
//! involvement is the first assignment or agent reply; the resolution closes it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::entity::conversation_fact;

/// The kinds of productivity events (stored as their `SCREAMING_SNAKE_CASE` name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventType {
    ConversationResolved,
    FirstReply,
    ReplySent,
    ConversationReopened,
    ConversationAssigned,
    ChargeCreated,
}

impl EventType {
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ConversationResolved => "CONVERSATION_RESOLVED",
            EventType::FirstReply => "FIRST_REPLY",
            EventType::ReplySent => "REPLY_SENT",
            EventType::ConversationReopened => "CONVERSATION_REOPENED",
            EventType::ConversationAssigned => "CONVERSATION_ASSIGNED",
            EventType::ChargeCreated => "CHARGE_CREATED",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(value.to_string())).ok()
    }
}

/// What the projector takes from a conversation's domain event.
#[derive(Debug, Clone, PartialEq)]
pub enum Signal {
    /// The conversation was created (with its assignee when routing gave one).
    Opened { channel_id: Uuid, contact_id: Option<Uuid>, team_id: Option<Uuid>, assignee_id: Option<Uuid> },
    /// The contact wrote.
    Inbound { channel_id: Uuid, contact_id: Option<Uuid> },
    /// An agent wrote (a private note when `private`).
    Reply { agent_id: Uuid, channel_id: Uuid, private: bool },
    /// Status, assignee or team changed; `actor` is the person who changed it.
    Updated {
        channel_id: Uuid,
        contact_id: Option<Uuid>,
        team_id: Option<Uuid>,
        assignee_id: Option<Uuid>,
        resolved_at: Option<DateTime<Utc>>,
        resolved: bool,
        reopened: bool,
        actor: Option<Uuid>,
        created_at: DateTime<Utc>,
        reopened_count: i32,
    },
}

/// A productivity event to record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewEvent {
    pub event_type: EventType,
    pub agent_id: Option<Uuid>,
    pub at: DateTime<Utc>,
    pub metadata: serde_json::Value,
}

/// The result of one signal: the cycle rows to save (the current one, and the one
/// a reopening starts), the events, and whether an earlier resolution of the same
/// contact on the same channel is followed by this new conversation (FCR).
#[derive(Debug, Default)]
pub struct Outcome {
    pub cycles: Vec<conversation_fact::Model>,
    pub events: Vec<NewEvent>,
    pub follow_up: Option<(Uuid, Uuid)>,
}

/// Where an event sits in the outbox (delivery order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub txid: i64,
    pub seq: i64,
}

/// Whether `cycle` already saw the event at `pos` (a replay).
pub fn seen(cycle: &conversation_fact::Model, pos: Pos) -> bool {
    Pos { txid: cycle.last_txid, seq: cycle.last_seq } >= pos
}

#[allow(clippy::too_many_arguments)]
fn fresh(
    tenant_id: Uuid,
    conversation_id: Uuid,
    cycle: i32,
    channel_id: Uuid,
    contact_id: Option<Uuid>,
    team_id: Option<Uuid>,
    assignee_id: Option<Uuid>,
    opened_at: DateTime<Utc>,
) -> conversation_fact::Model {
    conversation_fact::Model {
        id: Uuid::now_v7(),
        tenant_id,
        conversation_id,
        cycle,
        channel_id,
        contact_id,
        team_id,
        assignee_id,
        opened_at,
        first_inbound_at: None,
        first_reply_at: None,
        first_reply_agent_id: None,
        assigned_at: assignee_id.map(|_| opened_at),
        first_involvement_at: assignee_id.map(|_| opened_at),
        resolved_at: None,
        resolved_by: None,
        followed_at: None,
        last_txid: 0,
        last_seq: 0,
    }
}

fn seconds(from: Option<DateTime<Utc>>, to: DateTime<Utc>) -> Option<i64> {
    from.map(|f| (to - f).num_seconds().max(0))
}

/// Applies one signal at `at` to the conversation's latest cycle (`None` when the
/// projector has not seen the conversation yet). The caller skips replays (`seen`).
pub fn apply(
    tenant_id: Uuid,
    conversation_id: Uuid,
    current: Option<conversation_fact::Model>,
    signal: &Signal,
    at: DateTime<Utc>,
    pos: Pos,
) -> Outcome {
    let mut out = Outcome::default();
    let mut cycle = match current {
        Some(cycle) => cycle,
        None => {
            let (cycle, complete) = first_cycle(tenant_id, conversation_id, signal, at, &mut out);
            if complete {
                out.cycles.push(Pos::stamp(cycle, pos));
                return out;
            }
            cycle
        }
    };
    match signal {
        Signal::Opened { .. } => {}
        Signal::Inbound { contact_id, .. } => {
            if cycle.contact_id.is_none() {
                cycle.contact_id = *contact_id;
            }
            if cycle.resolved_at.is_none() && cycle.first_inbound_at.is_none() {
                cycle.first_inbound_at = Some(at);
            }
        }
        Signal::Reply { agent_id, private, .. } => {
            if !private {
                on_reply(&mut cycle, *agent_id, at, &mut out);
            }
        }
        Signal::Updated { .. } => cycle = on_updated(cycle, signal, at, pos, &mut out),
    }
    out.cycles.push(Pos::stamp(cycle, pos));
    out
}

/// The first cycle of a conversation the projector has no fact of yet; `true` when the
/// signal is fully applied by opening it (a conversation that just opened).
fn first_cycle(
    tenant_id: Uuid,
    conversation_id: Uuid,
    signal: &Signal,
    at: DateTime<Utc>,
    out: &mut Outcome,
) -> (conversation_fact::Model, bool) {
    match signal {
        Signal::Opened { channel_id, contact_id, team_id, assignee_id } => {
            let cycle = fresh(tenant_id, conversation_id, 0, *channel_id, *contact_id, *team_id, *assignee_id, at);
            if let Some(agent) = assignee_id {
                out.events.push(assigned(*agent, at));
            }
            if let Some(contact) = contact_id {
                out.follow_up = Some((*contact, *channel_id));
            }
            (cycle, true)
        }
        // A conversation opened before the projector existed: start from what we see.
        Signal::Inbound { channel_id, contact_id } => {
            (fresh(tenant_id, conversation_id, 0, *channel_id, *contact_id, None, None, at), false)
        }
        Signal::Reply { channel_id, .. } => {
            (fresh(tenant_id, conversation_id, 0, *channel_id, None, None, None, at), false)
        }
        Signal::Updated { channel_id, contact_id, team_id, assignee_id, created_at, reopened_count, .. } => {
            let opened_at = if *reopened_count == 0 { *created_at } else { at };
            let mut c =
                fresh(tenant_id, conversation_id, *reopened_count, *channel_id, *contact_id, *team_id, None, opened_at);
            c.assignee_id = *assignee_id;
            (c, false)
        }
    }
}

/// A public reply: REPLY_SENT, and FIRST_REPLY when it answers the cycle's first inbound.
fn on_reply(cycle: &mut conversation_fact::Model, agent_id: Uuid, at: DateTime<Utc>, out: &mut Outcome) {
    out.events.push(NewEvent {
        event_type: EventType::ReplySent,
        agent_id: Some(agent_id),
        at,
        metadata: json!({ "cycle": cycle.cycle }),
    });
    if cycle.resolved_at.is_some() {
        return;
    }
    if cycle.first_involvement_at.is_none() {
        cycle.first_involvement_at = Some(at);
    }
    if cycle.first_reply_at.is_none() && cycle.first_inbound_at.is_some() {
        cycle.first_reply_at = Some(at);
        cycle.first_reply_agent_id = Some(agent_id);
        out.events.push(NewEvent {
            event_type: EventType::FirstReply,
            agent_id: Some(agent_id),
            at,
            metadata: json!({ "cycle": cycle.cycle, "frtSeconds": seconds(cycle.first_inbound_at, at) }),
        });
    }
}

/// A change of the conversation: a reopening closes the cycle and starts the next;
/// then assignment, team and resolution of the (new) current cycle.
fn on_updated(
    mut cycle: conversation_fact::Model,
    signal: &Signal,
    at: DateTime<Utc>,
    pos: Pos,
    out: &mut Outcome,
) -> conversation_fact::Model {
    let Signal::Updated { team_id, assignee_id, resolved_at, resolved, reopened, actor, contact_id, .. } = signal
    else {
        return cycle;
    };
    if cycle.contact_id.is_none() {
        cycle.contact_id = *contact_id;
    }
    if *reopened && cycle.resolved_at.is_some() {
        cycle.followed_at.get_or_insert(at);
        out.events.push(NewEvent {
            event_type: EventType::ConversationReopened,
            agent_id: cycle.resolved_by,
            at,
            metadata: json!({ "cycle": cycle.cycle + 1, "previousResolvedAt": cycle.resolved_at }),
        });
        let next = fresh(
            cycle.tenant_id,
            cycle.conversation_id,
            cycle.cycle + 1,
            cycle.channel_id,
            cycle.contact_id,
            *team_id,
            *assignee_id,
            at,
        );
        out.cycles.push(Pos::stamp(cycle, pos));
        cycle = next;
    }
    cycle.team_id = *team_id;
    if *assignee_id != cycle.assignee_id {
        cycle.assignee_id = *assignee_id;
        if let Some(agent) = assignee_id {
            out.events.push(assigned(*agent, at));
            if cycle.resolved_at.is_none() {
                cycle.assigned_at.get_or_insert(at);
                cycle.first_involvement_at.get_or_insert(at);
            }
        }
    }
    if *resolved && cycle.resolved_at.is_none() {
        let when = resolved_at.unwrap_or(at);
        cycle.resolved_at = Some(when);
        cycle.resolved_by = actor.or(cycle.assignee_id);
        let involvement = cycle.first_involvement_at.unwrap_or(when);
        out.events.push(NewEvent {
            event_type: EventType::ConversationResolved,
            agent_id: cycle.resolved_by,
            at: when,
            metadata: json!({
                "cycle": cycle.cycle,
                "resolutionSeconds": seconds(Some(cycle.opened_at), when),
                "handlingSeconds": seconds(Some(involvement), when),
                "frtSeconds": cycle.first_reply_at.and_then(|r| seconds(cycle.first_inbound_at, r)),
            }),
        });
    }
    cycle
}

fn assigned(agent: Uuid, at: DateTime<Utc>) -> NewEvent {
    NewEvent { event_type: EventType::ConversationAssigned, agent_id: Some(agent), at, metadata: json!({}) }
}

impl Pos {
    fn stamp(mut cycle: conversation_fact::Model, pos: Pos) -> conversation_fact::Model {
        cycle.last_txid = pos.txid;
        cycle.last_seq = pos.seq;
        cycle
    }
}

#[cfg(test)]
#[path = "facts_tests.rs"]
mod tests;
