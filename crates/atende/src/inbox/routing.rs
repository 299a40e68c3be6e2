//! Presence-aware routing (tenant setting, off by default): a new conversation goes to
//! the least-loaded agent of its team (every agent when it has none) who is both
//! "available" and ACTIVE, skipping agents at the per-agent cap. Least-loaded with ties
//! broken by id behaves as a round-robin: whoever just got one is no longer the least
//! loaded. Nobody eligible → it stays unassigned and visible in the queue (peers hand
//! it to an offline agent instead).
//!
//! Presence is productivity's: this module asks `productivity::service` who is active;
//! productivity never reads conversations.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::store;
use crate::{error::AppResult, productivity, tenancy::Scope};

/// The agent a new conversation should go to, if routing is on and someone is eligible.
pub async fn assignee_for_new(
    db: &impl ConnectionTrait,
    scope: &Scope,
    team_id: Option<Uuid>,
) -> AppResult<Option<Uuid>> {
    let Some(rule) = productivity::service::routing_rule(db, scope).await? else { return Ok(None) };
    let candidates = productivity::service::active_agents(db, scope, team_id).await?;
    if candidates.is_empty() {
        return Ok(None);
    }
    let load = store::open_counts(db, scope, &candidates).await?;
    Ok(candidates
        .into_iter()
        .map(|id| (load.get(&id).copied().unwrap_or(0), id))
        .filter(|(open, _)| rule.max_open_per_agent.is_none_or(|cap| *open < i64::from(cap)))
        .min()
        .map(|(_, id)| id))
}

/// Returns an agent's unanswered open conversations (no agent reply yet) to the queue
/// when the agent goes OFFLINE and the tenant asked for it. Answered conversations stay
/// with their agent.
pub async fn requeue_unanswered(state: &crate::state::AppState, scope: &Scope, agent_id: Uuid) -> AppResult<usize> {
    if !productivity::service::requeue_on_offline(&state.db, scope).await? {
        return Ok(0);
    }
    let txn = crate::db::begin_write(&state.db).await?;
    let rows = store::unanswered_of(&txn, scope, agent_id, 500).await?;
    let mut events = Vec::new();
    let mut count = 0;
    for row in rows {
        let before = row.clone();
        let updated = store::conversation_update(&txn, scope, row, |c| {
            c.assignee_id = sea_orm::Set(None);
        })
        .await?;
        let view = super::views::conversation(&txn, scope, updated.clone(), None).await?;
        events.push(super::views::conversation_updated_from(
            scope,
            &before,
            &updated,
            &view,
            crate::events::ConversationChange::Assignment,
        ));
        events.extend(super::activity::record_change(&txn, scope, &before, &updated, chrono::Utc::now()).await?);
        count += 1;
    }
    crate::events::record(&txn, events).await?;
    crate::events::commit(txn, &state.events).await?;
    Ok(count)
}

/// The `inbox-requeue` outbox subscriber: an agent went OFFLINE → requeue (setting).
pub struct RequeueOnOffline {
    pub state: crate::state::AppState,
}

#[async_trait::async_trait]
impl crate::events::dispatcher::Subscriber for RequeueOnOffline {
    fn name(&self) -> &'static str {
        "inbox-requeue"
    }

    fn start_at(&self) -> crate::events::dispatcher::StartAt {
        crate::events::dispatcher::StartAt::Now
    }

    async fn handle(&self, events: &[crate::events::outbox::StoredEvent]) -> anyhow::Result<()> {
        for stored in events {
            let crate::events::DomainEvent::AgentStatusChanged(change) = &stored.event else { continue };
            if change.presence.status == productivity::model::PresenceStatus::Offline {
                let scope = Scope::system(change.tenant_id);
                requeue_unanswered(&self.state, &scope, change.presence.agent_id).await?;
            }
        }
        Ok(())
    }
}
