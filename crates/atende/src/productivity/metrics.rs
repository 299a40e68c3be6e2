//! The metrics of DESIGN.md §6, computed from fact rows, productivity events and work
//! sessions, free of the database. Each metric is dated by its own instant (FRT by the
//! first reply, resolution time / AHT / FCR by the resolution, replies and handled
//! conversations by the event, active/idle time by the login) and bucketed by day in
//! the tenant's time zone.
//!
//! - FRT: first inbound of the cycle → first non-private agent reply.
//! - Resolution time: cycle opened (created or reopened) → resolved.
//! - AHT: first agent involvement (assignment or reply) → resolved; a resolution with no
//!   involvement before it counts 0.
//! - FCR: resolutions not followed (reopening, or the contact's next conversation on the
//!   same channel) within the tenant's window, over all resolutions.
//! - Conversations handled: distinct conversations the agent replied to or resolved.
//! - Active time: session total minus its idle periods.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    entity::{conversation_fact, productivity_event},
    facts::EventType,
};

/// A closed or open work session, as the metrics need it.
#[derive(Debug, Clone)]
pub struct SessionFact {
    pub agent_id: Uuid,
    pub login_at: DateTime<Utc>,
    pub total_seconds: i64,
    pub active_seconds: i64,
    pub idle_seconds: i64,
}

/// How rows are grouped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema, Default)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    #[default]
    Agent,
    Team,
    Channel,
    Category,
    Day,
    /// One row for everything.
    Total,
}

impl GroupBy {
    pub fn parse(value: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(value.to_string())).ok()
    }
}

/// A group's key: an id, a day, or the total.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    Id(Uuid),
    Day(NaiveDate),
    Total,
}

/// What each row may be attributed to, looked up by the grouping.
pub struct Lookup<'a> {
    pub tz: Tz,
    pub group_by: GroupBy,
    /// conversation → its categories.
    pub categories: &'a HashMap<Uuid, Vec<Uuid>>,
    /// agent → the teams they belong to (sessions have no conversation team).
    pub agent_teams: &'a HashMap<Uuid, Vec<Uuid>>,
    pub fcr_window: Duration,
    /// Only rows attributed to these agents (the caller's scope and filters).
    pub agents: Option<&'a HashSet<Uuid>>,
    /// Only conversations on these channels.
    pub channels: Option<&'a HashSet<Uuid>>,
    /// Only conversations with one of these categories.
    pub category_filter: Option<&'a HashSet<Uuid>>,
}

impl Lookup<'_> {
    fn keys(
        &self,
        agent: Option<Uuid>,
        team: Option<Uuid>,
        channel: Option<Uuid>,
        conversation: Option<Uuid>,
        at: DateTime<Utc>,
    ) -> Vec<Key> {
        if let Some(agents) = self.agents
            && !agent.is_some_and(|a| agents.contains(&a))
        {
            return Vec::new();
        }
        // Work sessions belong to no conversation: channel and category filters pass them.
        if conversation.is_some() || channel.is_some() {
            if let Some(channels) = self.channels
                && !channel.is_some_and(|c| channels.contains(&c))
            {
                return Vec::new();
            }
            if let Some(wanted) = self.category_filter {
                let tagged = conversation.and_then(|c| self.categories.get(&c));
                if !tagged.is_some_and(|ids| ids.iter().any(|id| wanted.contains(id))) {
                    return Vec::new();
                }
            }
        }
        match self.group_by {
            GroupBy::Total => vec![Key::Total],
            GroupBy::Day => vec![Key::Day(local_day(self.tz, at))],
            GroupBy::Agent => agent.map(Key::Id).into_iter().collect(),
            GroupBy::Team => match (team, conversation) {
                (Some(team), _) => vec![Key::Id(team)],
                (None, None) => agent
                    .and_then(|a| self.agent_teams.get(&a))
                    .map(|teams| teams.iter().copied().map(Key::Id).collect())
                    .unwrap_or_default(),
                (None, Some(_)) => Vec::new(),
            },
            GroupBy::Channel => channel.map(Key::Id).into_iter().collect(),
            GroupBy::Category => conversation
                .and_then(|c| self.categories.get(&c))
                .map(|ids| ids.iter().copied().map(Key::Id).collect())
                .unwrap_or_default(),
        }
    }
}

/// The calendar day of an instant in the tenant's time zone.
pub fn local_day(tz: Tz, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// The figures of one group.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Metrics {
    pub conversations_handled: u64,
    pub resolved: u64,
    pub replies: u64,
    pub reopened: u64,
    pub charges: u64,
    /// Mean first response time (seconds), over `frtCount` first replies.
    pub frt_seconds: Option<f64>,
    pub frt_count: u64,
    /// Mean resolution time (seconds).
    pub resolution_seconds: Option<f64>,
    /// Mean handling time (seconds).
    pub aht_seconds: Option<f64>,
    /// First-contact resolutions.
    pub fcr_resolved: u64,
    /// `fcrResolved / resolved` (0–1).
    pub fcr_rate: Option<f64>,
    pub sessions: u64,
    pub logged_seconds: i64,
    pub active_seconds: i64,
    pub idle_seconds: i64,
}

#[derive(Debug, Default)]
struct Acc {
    handled: HashSet<Uuid>,
    resolved: u64,
    replies: u64,
    reopened: u64,
    charges: u64,
    frt_sum: i64,
    frt_count: u64,
    resolution_sum: i64,
    aht_sum: i64,
    fcr: u64,
    sessions: u64,
    logged: i64,
    active: i64,
    idle: i64,
}

impl Acc {
    fn finish(self) -> Metrics {
        let mean = |sum: i64, n: u64| (n > 0).then(|| sum as f64 / n as f64);
        Metrics {
            conversations_handled: self.handled.len() as u64,
            resolved: self.resolved,
            replies: self.replies,
            reopened: self.reopened,
            charges: self.charges,
            frt_seconds: mean(self.frt_sum, self.frt_count),
            frt_count: self.frt_count,
            resolution_seconds: mean(self.resolution_sum, self.resolved),
            aht_seconds: mean(self.aht_sum, self.resolved),
            fcr_resolved: self.fcr,
            fcr_rate: (self.resolved > 0).then(|| self.fcr as f64 / self.resolved as f64),
            sessions: self.sessions,
            logged_seconds: self.logged,
            active_seconds: self.active,
            idle_seconds: self.idle,
        }
    }
}

/// Rows that count, already filtered to the report's scope; each is counted when its
/// own instant falls in `[from, to)`.
pub struct Inputs<'a> {
    pub cycles: &'a [conversation_fact::Model],
    pub events: &'a [productivity_event::Model],
    pub sessions: &'a [SessionFact],
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// Whether a resolution counts as first-contact resolution.
pub fn first_contact(cycle: &conversation_fact::Model, window: Duration) -> bool {
    match (cycle.resolved_at, cycle.followed_at) {
        (Some(resolved), Some(followed)) => followed > resolved + window,
        _ => true,
    }
}

/// The metrics per group, in key order.
pub fn compute(inputs: &Inputs<'_>, lookup: &Lookup<'_>) -> BTreeMap<Key, Metrics> {
    let within = |at: DateTime<Utc>| at >= inputs.from && at < inputs.to;
    let mut groups: BTreeMap<Key, Acc> = BTreeMap::new();
    for c in inputs.cycles {
        if let (Some(reply), Some(inbound)) = (c.first_reply_at, c.first_inbound_at)
            && within(reply)
        {
            for key in
                lookup.keys(c.first_reply_agent_id, c.team_id, Some(c.channel_id), Some(c.conversation_id), reply)
            {
                let acc = groups.entry(key).or_default();
                acc.frt_sum += (reply - inbound).num_seconds().max(0);
                acc.frt_count += 1;
            }
        }
        if let Some(resolved) = c.resolved_at
            && within(resolved)
        {
            let involvement = c.first_involvement_at.unwrap_or(resolved).min(resolved);
            for key in lookup.keys(c.resolved_by, c.team_id, Some(c.channel_id), Some(c.conversation_id), resolved) {
                let acc = groups.entry(key).or_default();
                acc.resolved += 1;
                acc.resolution_sum += (resolved - c.opened_at).num_seconds().max(0);
                acc.aht_sum += (resolved - involvement).num_seconds().max(0);
                if first_contact(c, lookup.fcr_window) {
                    acc.fcr += 1;
                }
            }
        }
    }
    for e in inputs.events {
        if !within(e.occurred_at) {
            continue;
        }
        let Some(kind) = EventType::parse(&e.event_type) else { continue };
        for key in lookup.keys(e.agent_id, e.team_id, e.channel_id, e.conversation_id, e.occurred_at) {
            let acc = groups.entry(key).or_default();
            match kind {
                EventType::ReplySent => {
                    acc.replies += 1;
                    acc.handled.extend(e.conversation_id);
                }
                EventType::ConversationResolved => {
                    if e.agent_id.is_some() {
                        acc.handled.extend(e.conversation_id);
                    }
                }
                EventType::ConversationReopened => acc.reopened += 1,
                EventType::ChargeCreated => acc.charges += 1,
                EventType::FirstReply | EventType::ConversationAssigned => {}
            }
        }
    }
    if !matches!(lookup.group_by, GroupBy::Channel | GroupBy::Category) {
        for s in inputs.sessions {
            if !within(s.login_at) {
                continue;
            }
            for key in lookup.keys(Some(s.agent_id), None, None, None, s.login_at) {
                let acc = groups.entry(key).or_default();
                acc.sessions += 1;
                acc.logged += s.total_seconds;
                acc.active += s.active_seconds;
                acc.idle += s.idle_seconds;
            }
        }
    }
    groups.into_iter().map(|(k, acc)| (k, acc.finish())).collect()
}

#[cfg(test)]
#[path = "metrics_tests.rs"]
mod tests;
