//! SQL for conversations and read markers (messages, files and a person's records in
//! the files beside this one); every function takes the `Scope`.

mod attachments;
mod messages;
mod people;

pub use attachments::*;
pub use messages::*;
pub use people::*;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait, Query, SelectStatement},
};
use uuid::Uuid;

use super::{
    entity::{conversation, message, read_marker},
    model::{ConversationStatus, ListConversations, MessageStatus},
    visibility::Visibility,
};
use crate::tenancy::Scope;

/// Fields of a new conversation.
pub struct NewConversation {
    pub contact_id: Uuid,
    pub channel_id: Uuid,
    pub at: DateTime<Utc>,
}

pub async fn conversation_get(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
) -> Result<Option<conversation::Model>, sea_orm::DbErr> {
    conversation::Entity::find_by_id(id).filter(conversation::Column::TenantId.eq(scope.tenant_id)).one(db).await
}

pub async fn conversations_get_many(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[Uuid],
) -> Result<Vec<conversation::Model>, sea_orm::DbErr> {
    conversation::Entity::find()
        .filter(conversation::Column::TenantId.eq(scope.tenant_id))
        .filter(conversation::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// The most recent conversation of a contact on a channel.
pub async fn conversation_latest_for(
    db: &impl ConnectionTrait,
    scope: &Scope,
    contact_id: Uuid,
    channel_id: Uuid,
) -> Result<Option<conversation::Model>, sea_orm::DbErr> {
    conversation::Entity::find()
        .filter(conversation::Column::TenantId.eq(scope.tenant_id))
        .filter(conversation::Column::ContactId.eq(contact_id))
        .filter(conversation::Column::ChannelId.eq(channel_id))
        .order_by_desc(conversation::Column::CreatedAt)
        .order_by_desc(conversation::Column::Id)
        .one(db)
        .await
}

/// The most recent conversation of each of these contacts on a channel.
pub async fn conversations_latest_for(
    db: &impl ConnectionTrait,
    scope: &Scope,
    contact_ids: &[Uuid],
    channel_id: Uuid,
) -> Result<HashMap<Uuid, conversation::Model>, sea_orm::DbErr> {
    if contact_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = conversation::Entity::find()
        .filter(conversation::Column::TenantId.eq(scope.tenant_id))
        .filter(conversation::Column::ContactId.is_in(contact_ids.iter().copied()))
        .filter(conversation::Column::ChannelId.eq(channel_id))
        .order_by_asc(conversation::Column::CreatedAt)
        .order_by_asc(conversation::Column::Id)
        .all(db)
        .await?;
    // Ascending, so the latest of each contact is inserted last and stays.
    Ok(rows.into_iter().map(|c| (c.contact_id, c)).collect())
}

/// Saves what an inbound message changes on its conversation (activity, preview,
/// status), leaving the rest (assignee, team…) to whoever else writes it.
pub async fn conversation_save_inbound(
    db: &impl ConnectionTrait,
    scope: &Scope,
    c: &conversation::Model,
) -> Result<(), sea_orm::DbErr> {
    conversation::Entity::update_many()
        .col_expr(conversation::Column::LastActivityAt, Expr::value(c.last_activity_at))
        .col_expr(conversation::Column::LastMessagePreview, Expr::value(c.last_message_preview.clone()))
        .col_expr(conversation::Column::LastIncomingAt, Expr::value(c.last_incoming_at))
        .col_expr(conversation::Column::Status, Expr::value(c.status.clone()))
        .col_expr(conversation::Column::SnoozedUntil, Expr::value(c.snoozed_until))
        .col_expr(conversation::Column::ResolvedAt, Expr::value(c.resolved_at))
        .col_expr(conversation::Column::ReopenedCount, Expr::value(c.reopened_count))
        .col_expr(conversation::Column::UpdatedAt, Expr::value(c.updated_at))
        .filter(conversation::Column::TenantId.eq(scope.tenant_id))
        .filter(conversation::Column::Id.eq(c.id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn conversation_insert(
    db: &impl ConnectionTrait,
    scope: &Scope,
    new: NewConversation,
) -> Result<conversation::Model, sea_orm::DbErr> {
    conversation::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(scope.tenant_id),
        contact_id: Set(new.contact_id),
        channel_id: Set(new.channel_id),
        status: Set(ConversationStatus::Open.as_str().into()),
        snoozed_until: Set(None),
        assignee_id: Set(None),
        team_id: Set(None),
        last_message_preview: Set(None),
        last_activity_at: Set(new.at),
        last_incoming_at: Set(None),
        first_reply_at: Set(None),
        resolved_at: Set(None),
        reopened_count: Set(0),
        created_at: Set(new.at),
        updated_at: Set(new.at),
    }
    .insert(db)
    .await
}

/// Saves changes to a conversation loaded through the scope.
pub async fn conversation_update(
    db: &impl ConnectionTrait,
    scope: &Scope,
    current: conversation::Model,
    apply: impl FnOnce(&mut conversation::ActiveModel),
) -> Result<conversation::Model, sea_orm::DbErr> {
    let mut active = current.into_active_model();
    active.tenant_id = Set(scope.tenant_id);
    apply(&mut active);
    active.updated_at = Set(Utc::now());
    active.update(db).await
}

/// The conversations `visibility` allows, as a condition (`None`: every one).
pub fn visible(visibility: &Visibility) -> Option<Condition> {
    match visibility {
        Visibility::All => None,
        Visibility::Own { user } => Some(Condition::all().add(conversation::Column::AssigneeId.eq(*user))),
        Visibility::Teams { user, teams } => {
            let unqueued = Condition::all()
                .add(conversation::Column::AssigneeId.is_null())
                .add(conversation::Column::TeamId.is_null());
            let mut any = Condition::any().add(conversation::Column::AssigneeId.eq(*user)).add(unqueued);
            if !teams.is_empty() {
                any = any.add(conversation::Column::TeamId.is_in(teams.iter().copied()));
            }
            Some(any)
        }
    }
}

/// Conversations matching the list filters among those the caller sees, newest
/// activity first; `q` matches the contacts the caller found for it
/// (`contacts_matching`: a subquery of contact ids) or any message text.
pub async fn conversation_list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    visibility: &Visibility,
    filter: &ListConversations,
    contacts_matching: Option<SelectStatement>,
    limit: u64,
    offset: u64,
) -> Result<(Vec<conversation::Model>, u64), sea_orm::DbErr> {
    let mut query = conversation::Entity::find().filter(conversation::Column::TenantId.eq(scope.tenant_id));
    if let Some(visible) = visible(visibility) {
        query = query.filter(visible);
    }
    if let Some(status) = filter.status {
        query = query.filter(conversation::Column::Status.eq(status.as_str()));
    }
    if let Some(channel_id) = filter.channel_id {
        query = query.filter(conversation::Column::ChannelId.eq(channel_id));
    }
    if let Some(team_id) = filter.team_id {
        query = query.filter(conversation::Column::TeamId.eq(team_id));
    }
    if let Some(contact_id) = filter.contact_id {
        query = query.filter(conversation::Column::ContactId.eq(contact_id));
    }
    match filter.agent_id.as_deref() {
        None | Some("") | Some("all") => {}
        Some("none") => query = query.filter(conversation::Column::AssigneeId.is_null()),
        Some("me") => query = query.filter(conversation::Column::AssigneeId.eq(scope.user_id)),
        Some(id) => {
            let id: Uuid = id.parse().map_err(|_| sea_orm::DbErr::Custom("agentId".into()))?;
            query = query.filter(conversation::Column::AssigneeId.eq(id));
        }
    }
    if let Some(q) = filter.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        // The contact (name, phone digits, email, identities, attributes) or any message
        // of the conversation, with the one normalisation of search.
        let mut any = Condition::any();
        if let Some(matching_contacts) = contacts_matching {
            any = any.add(conversation::Column::ContactId.in_subquery(matching_contacts));
        }
        let words = search_text::MessageQuery::parse(q);
        if !words.is_empty() {
            any = any.add(super::search::conversations_matching(db.get_database_backend(), scope, &words));
        }
        query = query.filter(any);
    }
    if filter.unread == Some(true) {
        // Unread for me: a contact message arrived after my last read (or I never read it).
        let read_since = Query::select()
            .expr(Expr::val(1))
            .from(read_marker::Entity)
            .and_where(
                Expr::col((read_marker::Entity, read_marker::Column::ConversationId))
                    .equals((conversation::Entity, conversation::Column::Id)),
            )
            .and_where(Expr::col((read_marker::Entity, read_marker::Column::UserId)).eq(scope.user_id))
            .and_where(
                Expr::col((read_marker::Entity, read_marker::Column::LastReadAt))
                    .gte(Expr::col((conversation::Entity, conversation::Column::LastIncomingAt))),
            )
            .to_owned();
        query = query
            .filter(conversation::Column::LastIncomingAt.is_not_null())
            .filter(Condition::all().add(Expr::exists(read_since)).not());
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .order_by_desc(conversation::Column::LastActivityAt)
        .order_by_desc(conversation::Column::Id)
        .limit(limit)
        .offset(offset)
        .all(db)
        .await?;
    Ok((rows, total))
}

#[derive(Debug, FromQueryResult)]
struct UnreadRow {
    conversation_id: Uuid,
    unread: i64,
}

/// Contact messages each conversation has that `user_id` has not read.
pub async fn unread_counts(
    db: &impl ConnectionTrait,
    scope: &Scope,
    user_id: Uuid,
    conversation_ids: &[Uuid],
) -> Result<HashMap<Uuid, u64>, sea_orm::DbErr> {
    if conversation_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let markers: HashMap<Uuid, DateTime<Utc>> = read_marker::Entity::find()
        .filter(read_marker::Column::TenantId.eq(scope.tenant_id))
        .filter(read_marker::Column::UserId.eq(user_id))
        .filter(read_marker::Column::ConversationId.is_in(conversation_ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.conversation_id, m.last_read_at))
        .collect();
    // One OR term per conversation read before, one IN for the never-read ones.
    let mut unread = Condition::any();
    let never_read: Vec<Uuid> = conversation_ids.iter().copied().filter(|id| !markers.contains_key(id)).collect();
    if !never_read.is_empty() {
        unread = unread.add(message::Column::ConversationId.is_in(never_read));
    }
    for (id, read_at) in &markers {
        unread = unread.add(
            Condition::all().add(message::Column::ConversationId.eq(*id)).add(message::Column::CreatedAt.gt(*read_at)),
        );
    }
    let rows = message::Entity::find()
        .select_only()
        .column(message::Column::ConversationId)
        .column_as(message::Column::Id.count(), "unread")
        .filter(message::Column::TenantId.eq(scope.tenant_id))
        .filter(message::Column::SenderType.eq("CONTACT"))
        .filter(unread)
        .group_by(message::Column::ConversationId)
        .into_model::<UnreadRow>()
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.conversation_id, std::cmp::Ord::max(r.unread, 0) as u64)).collect())
}

/// Records that `user_id` has read a conversation up to `at`.
pub async fn mark_read(
    db: &impl ConnectionTrait,
    scope: &Scope,
    conversation_id: Uuid,
    user_id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let existing = read_marker::Entity::find()
        .filter(read_marker::Column::TenantId.eq(scope.tenant_id))
        .filter(read_marker::Column::ConversationId.eq(conversation_id))
        .filter(read_marker::Column::UserId.eq(user_id))
        .one(db)
        .await?;
    match existing {
        Some(row) => {
            let mut active = row.into_active_model();
            active.last_read_at = Set(at);
            active.update(db).await?;
        }
        None => {
            read_marker::ActiveModel {
                id: Set(Uuid::now_v7()),
                tenant_id: Set(scope.tenant_id),
                conversation_id: Set(conversation_id),
                user_id: Set(user_id),
                last_read_at: Set(at),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}

/// Deletes one message (an echo that duplicated a message we sent).
pub async fn message_delete(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<(), sea_orm::DbErr> {
    super::search::unindex_messages(db, scope, &[id]).await?;
    message::Entity::delete_many()
        .filter(message::Column::TenantId.eq(scope.tenant_id))
        .filter(message::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Snoozed conversations whose time has come, across tenants (the scheduler's sweep).
pub async fn platform_snoozed_due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<Vec<conversation::Model>, sea_orm::DbErr> {
    conversation::Entity::find()
        .filter(conversation::Column::SnoozedUntil.lte(now))
        .order_by_asc(conversation::Column::SnoozedUntil)
        .limit(500)
        .all(db)
        .await
}

/// Agent messages of a conversation sent at or before `at` and not yet at `below`
/// or beyond: what a Meta delivery / read watermark covers. Oldest first, bounded.
pub async fn messages_under_watermark(
    db: &impl ConnectionTrait,
    scope: &Scope,
    conversation_id: Uuid,
    at: DateTime<Utc>,
    statuses: &[MessageStatus],
    limit: u64,
) -> Result<Vec<message::Model>, sea_orm::DbErr> {
    message::Entity::find()
        .filter(message::Column::TenantId.eq(scope.tenant_id))
        .filter(message::Column::ConversationId.eq(conversation_id))
        .filter(message::Column::SenderType.eq("AGENT"))
        .filter(message::Column::IsPrivate.eq(false))
        .filter(message::Column::Status.is_in(statuses.iter().map(|s| s.as_str())))
        .filter(message::Column::CreatedAt.lte(at))
        .order_by_asc(message::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Ids of a channel's messages that FAILED with a failure reason containing `marker`
/// since `since` (e.g. sends refused while a WhatsApp number was disconnected).
pub async fn failed_with_reason(
    db: &impl ConnectionTrait,
    scope: &Scope,
    channel_id: Uuid,
    marker: &str,
    since: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Uuid>, sea_orm::DbErr> {
    Ok(message::Entity::find()
        .filter(message::Column::TenantId.eq(scope.tenant_id))
        .filter(message::Column::ChannelId.eq(channel_id))
        .filter(message::Column::Status.eq(MessageStatus::Failed.as_str()))
        .filter(message::Column::FailureReason.like(format!("%{marker}%")))
        .filter(message::Column::CreatedAt.gte(since))
        .order_by_asc(message::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.id)
        .collect())
}

/// An attachment by id, whatever its tenant: serves a signed public media link (the
/// signature, checked first, names the file; the tenant comes from the row).
pub async fn platform_attachment_get(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<super::entity::attachment::Model>, sea_orm::DbErr> {
    super::entity::attachment::Entity::find_by_id(id).one(db).await
}

/// Open conversations held by each of these agents.
pub async fn open_counts(
    db: &impl ConnectionTrait,
    scope: &Scope,
    agents: &[Uuid],
) -> Result<HashMap<Uuid, i64>, sea_orm::DbErr> {
    let rows: Vec<(Option<Uuid>, i64)> = conversation::Entity::find()
        .select_only()
        .column(conversation::Column::AssigneeId)
        .column_as(conversation::Column::Id.count(), "open")
        .filter(conversation::Column::TenantId.eq(scope.tenant_id))
        .filter(conversation::Column::Status.eq(ConversationStatus::Open.as_str()))
        .filter(conversation::Column::AssigneeId.is_in(agents.iter().copied()))
        .group_by(conversation::Column::AssigneeId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(|(agent, n)| agent.map(|a| (a, n))).collect())
}

/// Open conversations of an agent that no agent has answered yet.
pub async fn unanswered_of(
    db: &impl ConnectionTrait,
    scope: &Scope,
    agent_id: Uuid,
    limit: u64,
) -> Result<Vec<conversation::Model>, sea_orm::DbErr> {
    conversation::Entity::find()
        .filter(conversation::Column::TenantId.eq(scope.tenant_id))
        .filter(conversation::Column::AssigneeId.eq(agent_id))
        .filter(conversation::Column::Status.eq(ConversationStatus::Open.as_str()))
        .filter(conversation::Column::FirstReplyAt.is_null())
        .limit(limit)
        .all(db)
        .await
}
