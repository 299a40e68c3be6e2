//! Activity lines of the timeline: "Carla atribuiu a João · 10:42".
//!
//! A change of a conversation (assignment, transfer, team, status, snooze, categories)
//! is stored as a message of content type `activity` in the transaction of the change,
//! next to the `conversation_updated` event it accompanies, and announced with its own
//! `message_created` event. So a line exists exactly when its change does, sits in the
//! history in the order things happened (message ids are time-ordered), and reaches
//! open conversations through the timeline API and `new_message` like any message.
//! The row has no text (nothing to index for search, no preview), no author
//! (productivity counts only authored agent messages), is never queued for delivery
//! and never counts as unread (only contact messages do).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{
    entity::conversation,
    model::{Activity, ActivityKind, ContentType, ConversationStatus, MessageStatus, NamedRef, SenderType},
    store::{self, NewMessage},
    views,
};
use crate::{error::AppResult, events::DomainEvent, tenancy::Scope};

/// One change, with ids only (names are looked up once for all).
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    pub kind: ActivityKind,
    pub agent: Option<Uuid>,
    pub previous_agent: Option<Uuid>,
    pub team: Option<Uuid>,
    pub previous_team: Option<Uuid>,
    pub status: Option<ConversationStatus>,
    pub until: Option<DateTime<Utc>>,
}

impl Draft {
    fn new(kind: ActivityKind) -> Self {
        Draft { kind, agent: None, previous_agent: None, team: None, previous_team: None, status: None, until: None }
    }
}

fn status_of(c: &conversation::Model) -> ConversationStatus {
    ConversationStatus::parse(&c.status).unwrap_or(ConversationStatus::Open)
}

/// The activity lines a change from `before` to `after` makes, in a stable order:
/// assignment, team, status, snooze.
pub fn drafts(before: &conversation::Model, after: &conversation::Model) -> Vec<Draft> {
    let mut out = Vec::new();
    match (before.assignee_id, after.assignee_id) {
        (None, Some(agent)) => out.push(Draft { agent: Some(agent), ..Draft::new(ActivityKind::Assigned) }),
        (Some(previous), Some(agent)) if previous != agent => out.push(Draft {
            agent: Some(agent),
            previous_agent: Some(previous),
            ..Draft::new(ActivityKind::Transferred)
        }),
        (Some(previous), None) => {
            out.push(Draft { previous_agent: Some(previous), ..Draft::new(ActivityKind::Unassigned) })
        }
        _ => {}
    }
    if before.team_id != after.team_id {
        out.push(Draft { team: after.team_id, previous_team: before.team_id, ..Draft::new(ActivityKind::TeamChanged) });
    }
    let (was, now) = (status_of(before), status_of(after));
    let resolved = now == ConversationStatus::Resolved && was != ConversationStatus::Resolved;
    if resolved {
        out.push(Draft::new(ActivityKind::Resolved));
    } else if was == ConversationStatus::Resolved && now != ConversationStatus::Resolved {
        out.push(Draft::new(ActivityKind::Reopened));
    } else if was != now {
        out.push(Draft { status: Some(now), ..Draft::new(ActivityKind::StatusChanged) });
    }
    match (before.snoozed_until, after.snoozed_until) {
        (_, Some(until)) if before.snoozed_until != Some(until) => {
            out.push(Draft { until: Some(until), ..Draft::new(ActivityKind::Snoozed) })
        }
        // Resolving ends a snooze too: the resolution says enough.
        (Some(_), None) if !resolved => out.push(Draft::new(ActivityKind::Unsnoozed)),
        _ => {}
    }
    out
}

/// The message row of an activity line (no text, no author, never delivered).
pub fn new_message(c: &conversation::Model, activity: &Activity, at: DateTime<Utc>) -> NewMessage {
    NewMessage {
        conversation_id: c.id,
        channel_id: c.channel_id,
        sender_type: SenderType::System.as_str(),
        sender_user_id: None,
        contact_id: None,
        content: None,
        content_type: ContentType::Activity.as_str(),
        attachments: None,
        metadata: Some(serde_json::json!({ "activity": activity })),
        external_id: None,
        status: MessageStatus::Sent,
        is_private: false,
        at,
    }
}

/// The activity stored in a message's metadata, when it is an activity line.
pub fn of_metadata(content_type: &str, metadata: Option<&serde_json::Value>) -> Option<Activity> {
    if content_type != ContentType::Activity.as_str() {
        return None;
    }
    serde_json::from_value(metadata?.get("activity")?.clone()).ok()
}

/// Names the people and teams of `drafts`, with the caller as the actor (none for
/// the system).
pub async fn name(db: &impl ConnectionTrait, scope: &Scope, drafts: Vec<Draft>) -> AppResult<Vec<Activity>> {
    let mut user_ids: Vec<Uuid> = drafts.iter().flat_map(|d| [d.agent, d.previous_agent]).flatten().collect();
    if !scope.is_system() {
        user_ids.push(scope.user_id);
    }
    user_ids.sort();
    user_ids.dedup();
    let mut team_ids: Vec<Uuid> = drafts.iter().flat_map(|d| [d.team, d.previous_team]).flatten().collect();
    team_ids.sort();
    team_ids.dedup();
    let users: HashMap<Uuid, String> = if user_ids.is_empty() {
        HashMap::new()
    } else {
        crate::users::store::get_many(db, scope, &user_ids).await?.into_iter().map(|u| (u.id, u.name)).collect()
    };
    let teams: HashMap<Uuid, String> = if team_ids.is_empty() {
        HashMap::new()
    } else {
        crate::teams::store::list(db, scope, Some(&team_ids)).await?.into_iter().map(|t| (t.id, t.name)).collect()
    };
    let person = |id: Option<Uuid>| id.map(|id| NamedRef { id, name: users.get(&id).cloned().unwrap_or_default() });
    let team = |id: Option<Uuid>| id.map(|id| NamedRef { id, name: teams.get(&id).cloned().unwrap_or_default() });
    let actor = (!scope.is_system()).then_some(scope.user_id);
    Ok(drafts
        .into_iter()
        .map(|d| Activity {
            agent: person(d.agent),
            previous_agent: person(d.previous_agent),
            team: team(d.team),
            previous_team: team(d.previous_team),
            status: d.status,
            until: d.until,
            ..Activity::new(d.kind, person(actor))
        })
        .collect())
}

/// The caller as the actor of a line (none for the system).
pub async fn actor(db: &impl ConnectionTrait, scope: &Scope) -> AppResult<Option<NamedRef>> {
    if scope.is_system() {
        return Ok(None);
    }
    let user = crate::users::store::get(db, scope, scope.user_id).await?;
    Ok(Some(NamedRef { id: scope.user_id, name: user.map(|u| u.name).unwrap_or_default() }))
}

/// Stores activity lines of a conversation (in the caller's transaction) and returns
/// their `message_created` events, to be recorded with the change's own.
pub async fn store(
    db: &impl ConnectionTrait,
    scope: &Scope,
    c: &conversation::Model,
    activities: &[Activity],
    at: DateTime<Utc>,
) -> AppResult<Vec<DomainEvent>> {
    let mut events = Vec::with_capacity(activities.len());
    for activity in activities {
        let row = store::message_insert(db, scope, new_message(c, activity, at)).await?;
        let view = views::message_without_agent(row);
        events.push(views::message_created(scope, c, &view));
    }
    Ok(events)
}

/// The activity lines of a change from `before` to `after`, stored; their events.
pub async fn record_change(
    db: &impl ConnectionTrait,
    scope: &Scope,
    before: &conversation::Model,
    after: &conversation::Model,
    at: DateTime<Utc>,
) -> AppResult<Vec<DomainEvent>> {
    let drafts = drafts(before, after);
    if drafts.is_empty() {
        return Ok(Vec::new());
    }
    let activities = name(db, scope, drafts).await?;
    store(db, scope, after, &activities, at).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conversation() -> conversation::Model {
        let now = Utc::now();
        conversation::Model {
            id: Uuid::now_v7(),
            tenant_id: Uuid::now_v7(),
            contact_id: Uuid::now_v7(),
            channel_id: Uuid::now_v7(),
            status: "OPEN".into(),
            snoozed_until: None,
            assignee_id: None,
            team_id: None,
            last_message_preview: None,
            last_activity_at: now,
            last_incoming_at: None,
            first_reply_at: None,
            resolved_at: None,
            reopened_count: 0,
            created_at: now,
            updated_at: now,
        }
    }

    fn kinds(before: &conversation::Model, after: &conversation::Model) -> Vec<ActivityKind> {
        drafts(before, after).into_iter().map(|d| d.kind).collect()
    }

    #[test]
    fn each_change_makes_its_line() {
        let (ana, bia, team) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let open = conversation();
        let assigned = conversation::Model { assignee_id: Some(ana), ..open.clone() };
        assert_eq!(kinds(&open, &assigned), vec![ActivityKind::Assigned]);
        let transferred = conversation::Model { assignee_id: Some(bia), ..open.clone() };
        assert_eq!(kinds(&assigned, &transferred), vec![ActivityKind::Transferred]);
        assert_eq!(kinds(&assigned, &open), vec![ActivityKind::Unassigned]);
        let teamed = conversation::Model { team_id: Some(team), ..open.clone() };
        assert_eq!(kinds(&open, &teamed), vec![ActivityKind::TeamChanged]);
        let resolved = conversation::Model { status: "RESOLVED".into(), ..open.clone() };
        assert_eq!(kinds(&open, &resolved), vec![ActivityKind::Resolved]);
        assert_eq!(kinds(&resolved, &open), vec![ActivityKind::Reopened]);
        let pending = conversation::Model { status: "PENDING".into(), ..open.clone() };
        let status = drafts(&open, &pending);
        assert_eq!(status[0].kind, ActivityKind::StatusChanged);
        assert_eq!(status[0].status, Some(ConversationStatus::Pending));
        let snoozed = conversation::Model { snoozed_until: Some(Utc::now()), ..open.clone() };
        assert_eq!(kinds(&open, &snoozed), vec![ActivityKind::Snoozed]);
        assert_eq!(kinds(&snoozed, &open), vec![ActivityKind::Unsnoozed]);
        // Resolving a snoozed conversation: only the resolution.
        assert_eq!(kinds(&snoozed, &resolved), vec![ActivityKind::Resolved]);
        assert!(kinds(&open, &open).is_empty());
        // Several at once, in a stable order.
        let all = conversation::Model { assignee_id: Some(ana), team_id: Some(team), ..pending.clone() };
        assert_eq!(
            kinds(&open, &all),
            vec![ActivityKind::Assigned, ActivityKind::TeamChanged, ActivityKind::StatusChanged]
        );
    }
}
