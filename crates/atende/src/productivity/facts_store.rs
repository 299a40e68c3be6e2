//! SQL of the metrics tables: productivity events and conversation facts. Every
//! function takes the tenant's `Scope` except the rebuild's (`platform_*`), which
//! works across tenants from the command line.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, sea_query::OnConflict,
};
use uuid::Uuid;

use super::{
    entity::{conversation_fact as fact, label, productivity_event as event, work_session},
    facts::NewEvent,
};
use crate::tenancy::Scope;

/// The conversation's latest cycle, if the projector has seen it.
pub async fn latest_cycle(
    db: &impl ConnectionTrait,
    scope: &Scope,
    conversation_id: Uuid,
) -> Result<Option<fact::Model>, sea_orm::DbErr> {
    fact::Entity::find()
        .filter(fact::Column::TenantId.eq(scope.tenant_id))
        .filter(fact::Column::ConversationId.eq(conversation_id))
        .order_by_desc(fact::Column::Cycle)
        .one(db)
        .await
}

/// Inserts or replaces a cycle (by tenant, conversation and cycle number).
pub async fn save_cycle(db: &impl ConnectionTrait, scope: &Scope, row: fact::Model) -> Result<(), sea_orm::DbErr> {
    debug_assert_eq!(row.tenant_id, scope.tenant_id);
    let mut active = row.into_active_model();
    active.tenant_id = Set(scope.tenant_id);
    fact::Entity::insert(active)
        .on_conflict(
            OnConflict::columns([fact::Column::TenantId, fact::Column::ConversationId, fact::Column::Cycle])
                .update_columns([
                    fact::Column::ChannelId,
                    fact::Column::ContactId,
                    fact::Column::TeamId,
                    fact::Column::AssigneeId,
                    fact::Column::OpenedAt,
                    fact::Column::FirstInboundAt,
                    fact::Column::FirstReplyAt,
                    fact::Column::FirstReplyAgentId,
                    fact::Column::AssignedAt,
                    fact::Column::FirstInvolvementAt,
                    fact::Column::ResolvedAt,
                    fact::Column::ResolvedBy,
                    fact::Column::FollowedAt,
                    fact::Column::LastTxid,
                    fact::Column::LastSeq,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Where an event happened: conversation, channel, team, work session.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context {
    pub conversation_id: Option<Uuid>,
    pub channel_id: Option<Uuid>,
    pub team_id: Option<Uuid>,
}

/// Records productivity events of the outbox event `source_seq`; a replay inserts
/// nothing (unique per tenant, source and type).
pub async fn insert_events(
    db: &impl ConnectionTrait,
    scope: &Scope,
    source_seq: i64,
    context: Context,
    events: &[NewEvent],
) -> Result<(), sea_orm::DbErr> {
    for e in events {
        let work_session_id = match e.agent_id {
            Some(agent) => work_session_at(db, scope, agent, e.at).await?,
            None => None,
        };
        let row = event::ActiveModel {
            id: Set(Uuid::now_v7()),
            tenant_id: Set(scope.tenant_id),
            source_seq: Set(source_seq),
            event_type: Set(e.event_type.as_str().into()),
            agent_id: Set(e.agent_id),
            work_session_id: Set(work_session_id),
            conversation_id: Set(context.conversation_id),
            channel_id: Set(context.channel_id),
            team_id: Set(context.team_id),
            occurred_at: Set(e.at),
            metadata: Set(Some(e.metadata.clone())),
        };
        event::Entity::insert(row)
            .on_conflict(
                OnConflict::columns([event::Column::TenantId, event::Column::SourceSeq, event::Column::EventType])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// The agent's work session at `at` (the latest login before it, still open then).
async fn work_session_at(
    db: &impl ConnectionTrait,
    scope: &Scope,
    agent_id: Uuid,
    at: DateTime<Utc>,
) -> Result<Option<Uuid>, sea_orm::DbErr> {
    let row = work_session::Entity::find()
        .filter(work_session::Column::TenantId.eq(scope.tenant_id))
        .filter(work_session::Column::AgentId.eq(agent_id))
        .filter(work_session::Column::LoginAt.lte(at))
        .filter(
            Condition::any().add(work_session::Column::LogoutAt.is_null()).add(work_session::Column::LogoutAt.gte(at)),
        )
        .order_by_desc(work_session::Column::LoginAt)
        .one(db)
        .await?;
    Ok(row.map(|r| r.id))
}

/// A new conversation of a contact on a channel follows the contact's latest earlier
/// resolution there (first-contact resolution): marks it.
pub async fn follow_up(
    db: &impl ConnectionTrait,
    scope: &Scope,
    contact_id: Uuid,
    channel_id: Uuid,
    conversation_id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let previous = fact::Entity::find()
        .filter(fact::Column::TenantId.eq(scope.tenant_id))
        .filter(fact::Column::ContactId.eq(contact_id))
        .filter(fact::Column::ChannelId.eq(channel_id))
        .filter(fact::Column::ConversationId.ne(conversation_id))
        .filter(fact::Column::ResolvedAt.lte(at))
        .order_by_desc(fact::Column::ResolvedAt)
        .one(db)
        .await?;
    if let Some(row) = previous.filter(|r| r.followed_at.is_none()) {
        let mut active = row.into_active_model();
        active.followed_at = Set(Some(at));
        fact::Entity::update(active).exec(db).await?;
    }
    Ok(())
}

/// Cycles with an FRT, a resolution or an opening in `[from, to)`.
pub async fn cycles_between(
    db: &impl ConnectionTrait,
    scope: &Scope,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<fact::Model>, sea_orm::DbErr> {
    let within = |col: fact::Column| Condition::all().add(col.gte(from)).add(col.lt(to));
    fact::Entity::find()
        .filter(fact::Column::TenantId.eq(scope.tenant_id))
        .filter(
            Condition::any()
                .add(within(fact::Column::ResolvedAt))
                .add(within(fact::Column::FirstReplyAt))
                .add(within(fact::Column::OpenedAt)),
        )
        .order_by_asc(fact::Column::OpenedAt)
        .all(db)
        .await
}

/// Productivity events in `[from, to)`, of some agents or all.
pub async fn events_between(
    db: &impl ConnectionTrait,
    scope: &Scope,
    agent_ids: Option<&[Uuid]>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<event::Model>, sea_orm::DbErr> {
    let mut query = event::Entity::find()
        .filter(event::Column::TenantId.eq(scope.tenant_id))
        .filter(event::Column::OccurredAt.gte(from))
        .filter(event::Column::OccurredAt.lt(to));
    if let Some(ids) = agent_ids {
        query = query.filter(event::Column::AgentId.is_in(ids.iter().copied()));
    }
    query.order_by_asc(event::Column::OccurredAt).all(db).await
}

/// Rebuild: forgets the productivity events and fact fields from `from` on (any
/// tenant), so that re-projected events apply again.
pub async fn platform_forget_since(db: &impl ConnectionTrait, from: DateTime<Utc>) -> Result<u64, sea_orm::DbErr> {
    let events = event::Entity::delete_many().filter(event::Column::OccurredAt.gte(from)).exec(db).await?.rows_affected;
    fact::Entity::delete_many().filter(fact::Column::OpenedAt.gte(from)).exec(db).await?;
    // Cycles opened before `from` forget what happened from then on.
    for (col, also) in [
        (fact::Column::FollowedAt, None),
        (fact::Column::ResolvedAt, Some(fact::Column::ResolvedBy)),
        (fact::Column::FirstReplyAt, Some(fact::Column::FirstReplyAgentId)),
        (fact::Column::FirstInboundAt, None),
        (fact::Column::AssignedAt, None),
        (fact::Column::FirstInvolvementAt, None),
    ] {
        let mut update =
            fact::Entity::update_many().col_expr(col, sea_orm::sea_query::Expr::value(Option::<DateTime<Utc>>::None));
        if let Some(other) = also {
            update = update.col_expr(other, sea_orm::sea_query::Expr::value(Option::<Uuid>::None));
        }
        update.filter(col.gte(from)).exec(db).await?;
    }
    // They will see the replayed events again.
    fact::Entity::update_many()
        .col_expr(fact::Column::LastTxid, sea_orm::sea_query::Expr::value(0i64))
        .col_expr(fact::Column::LastSeq, sea_orm::sea_query::Expr::value(0i64))
        .exec(db)
        .await?;
    Ok(events)
}

/// Whether productivity events were recorded in `[from, to)` (any tenant).
pub async fn platform_any_event_between(
    db: &impl ConnectionTrait,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<bool, sea_orm::DbErr> {
    Ok(event::Entity::find()
        .filter(event::Column::OccurredAt.gte(from))
        .filter(event::Column::OccurredAt.lt(to))
        .one(db)
        .await?
        .is_some())
}

/// How many productivity events exist (the rebuild's report).
pub async fn platform_count_events(db: &impl ConnectionTrait) -> Result<u64, sea_orm::DbErr> {
    use sea_orm::PaginatorTrait;
    event::Entity::find().select_only().column(event::Column::Id).count(db).await
}

/// Remembers the name of a channel for the reports.
pub async fn save_label(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
    kind: &str,
    text: &str,
) -> Result<(), sea_orm::DbErr> {
    let row = label::ActiveModel {
        id: Set(id),
        tenant_id: Set(scope.tenant_id),
        kind: Set(kind.into()),
        label: Set(text.chars().take(200).collect()),
    };
    label::Entity::insert(row)
        .on_conflict(OnConflict::column(label::Column::Id).update_column(label::Column::Label).to_owned())
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The tenant's labels of one kind.
pub async fn labels(
    db: &impl ConnectionTrait,
    scope: &Scope,
    kind: &str,
) -> Result<std::collections::HashMap<Uuid, String>, sea_orm::DbErr> {
    Ok(label::Entity::find()
        .filter(label::Column::TenantId.eq(scope.tenant_id))
        .filter(label::Column::Kind.eq(kind))
        .all(db)
        .await?
        .into_iter()
        .map(|l| (l.id, l.label))
        .collect())
}
