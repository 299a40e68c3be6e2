//! SQL for conversations, messages and read markers; every function takes the `Scope`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait, Query},
};
use uuid::Uuid;

use super::{
    entity::{attachment, conversation, message, read_marker},
    model::{ConversationStatus, ListConversations, MessageStatus},
};
use crate::{contacts::entity::contact, tenancy::Scope};

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

/// Conversations matching the filters, newest activity first.
pub async fn conversation_list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    filter: &ListConversations,
    limit: u64,
    offset: u64,
) -> Result<(Vec<conversation::Model>, u64), sea_orm::DbErr> {
    let mut query = conversation::Entity::find().filter(conversation::Column::TenantId.eq(scope.tenant_id));
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
        let matching_contacts = Query::select()
            .column(contact::Column::Id)
            .from(contact::Entity)
            .and_where(contact::Column::TenantId.eq(scope.tenant_id))
            .cond_where(crate::contacts::store::search_condition(q))
            .to_owned();
        let mut any = Condition::any().add(conversation::Column::ContactId.in_subquery(matching_contacts));
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

/// Fields of a new message.
pub struct NewMessage {
    pub conversation_id: Uuid,
    pub channel_id: Uuid,
    pub sender_type: &'static str,
    pub sender_user_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub content: Option<String>,
    pub content_type: &'static str,
    pub attachments: Option<serde_json::Value>,
    pub metadata: Option<serde_json::Value>,
    pub external_id: Option<String>,
    pub status: MessageStatus,
    pub is_private: bool,
    pub at: DateTime<Utc>,
}

pub async fn message_insert(
    db: &impl ConnectionTrait,
    scope: &Scope,
    new: NewMessage,
) -> Result<message::Model, sea_orm::DbErr> {
    let inserted = message_row(scope, new).into_active_model().reset_all().insert(db).await?;
    // In the message's own transaction: findable exactly when it is committed.
    super::search::index_message(db, scope, &inserted).await?;
    Ok(inserted)
}

/// The row a new message will be (its id is time-ordered: ids taken in order sort in order).
pub fn message_row(scope: &Scope, new: NewMessage) -> message::Model {
    let sent_at = matches!(new.status, MessageStatus::Sent).then_some(new.at);
    message::Model {
        id: Uuid::now_v7(),
        tenant_id: scope.tenant_id,
        conversation_id: new.conversation_id,
        channel_id: new.channel_id,
        sender_type: new.sender_type.into(),
        sender_user_id: new.sender_user_id,
        contact_id: new.contact_id,
        content: new.content,
        content_type: new.content_type.into(),
        attachments: new.attachments,
        metadata: new.metadata,
        external_id: new.external_id,
        status: new.status.as_str().into(),
        failure_reason: None,
        delivery_attempts: 0,
        failure_code: None,
        is_private: new.is_private,
        created_at: new.at,
        updated_at: new.at,
        sent_at,
        delivered_at: None,
        read_at: None,
    }
}

/// Inserts message rows built by `message_row` in one statement, and indexes them for
/// search in the same transaction.
pub async fn messages_insert(
    db: &impl ConnectionTrait,
    scope: &Scope,
    rows: &[message::Model],
) -> Result<(), sea_orm::DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let active: Vec<message::ActiveModel> = rows.iter().cloned().map(|m| m.into_active_model().reset_all()).collect();
    message::Entity::insert_many(active).exec_without_returning(db).await?;
    super::search::index_messages(db, scope, rows).await
}

/// Which of these provider ids a channel already stored.
pub async fn message_external_ids_known(
    db: &impl ConnectionTrait,
    scope: &Scope,
    channel_id: Uuid,
    external_ids: &[&str],
) -> Result<std::collections::HashSet<String>, sea_orm::DbErr> {
    if external_ids.is_empty() {
        return Ok(Default::default());
    }
    let known: Vec<Option<String>> = message::Entity::find()
        .select_only()
        .column(message::Column::ExternalId)
        .filter(message::Column::TenantId.eq(scope.tenant_id))
        .filter(message::Column::ChannelId.eq(channel_id))
        .filter(message::Column::ExternalId.is_in(external_ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(known.into_iter().flatten().collect())
}

pub async fn message_get(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
) -> Result<Option<message::Model>, sea_orm::DbErr> {
    message::Entity::find_by_id(id).filter(message::Column::TenantId.eq(scope.tenant_id)).one(db).await
}

/// Several messages of the caller's tenant.
pub async fn messages_get_many(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[Uuid],
) -> Result<Vec<message::Model>, sea_orm::DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    message::Entity::find()
        .filter(message::Column::TenantId.eq(scope.tenant_id))
        .filter(message::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// The message a provider id names on a channel.
pub async fn message_find_by_external(
    db: &impl ConnectionTrait,
    scope: &Scope,
    channel_id: Uuid,
    external_id: &str,
) -> Result<Option<message::Model>, sea_orm::DbErr> {
    message::Entity::find()
        .filter(message::Column::TenantId.eq(scope.tenant_id))
        .filter(message::Column::ChannelId.eq(channel_id))
        .filter(message::Column::ExternalId.eq(external_id))
        .one(db)
        .await
}

/// One page of a conversation's history, newest first, older than `cursor`.
/// Ids are UUID v7 (time-ordered), so the id is a stable cursor.
pub async fn message_page(
    db: &impl ConnectionTrait,
    scope: &Scope,
    conversation_id: Uuid,
    cursor: Option<Uuid>,
    limit: u64,
) -> Result<Vec<message::Model>, sea_orm::DbErr> {
    let mut query = message::Entity::find()
        .filter(message::Column::TenantId.eq(scope.tenant_id))
        .filter(message::Column::ConversationId.eq(conversation_id));
    if let Some(cursor) = cursor {
        query = query.filter(message::Column::Id.lt(cursor));
    }
    query.order_by_desc(message::Column::Id).limit(limit).all(db).await
}

pub async fn messages_count(
    db: &impl ConnectionTrait,
    scope: &Scope,
    conversation_id: Uuid,
) -> Result<u64, sea_orm::DbErr> {
    message::Entity::find()
        .filter(message::Column::TenantId.eq(scope.tenant_id))
        .filter(message::Column::ConversationId.eq(conversation_id))
        .count(db)
        .await
}

/// Saves changes to a message loaded through the scope.
pub async fn message_update(
    db: &impl ConnectionTrait,
    scope: &Scope,
    current: message::Model,
    apply: impl FnOnce(&mut message::ActiveModel),
) -> Result<message::Model, sea_orm::DbErr> {
    let mut active = current.into_active_model();
    active.tenant_id = Set(scope.tenant_id);
    apply(&mut active);
    active.updated_at = Set(Utc::now());
    active.update(db).await
}

/// FAILED → PENDING, atomically (so two retries enqueue once).
pub async fn message_requeue_failed(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
) -> Result<bool, sea_orm::DbErr> {
    let result = message::Entity::update_many()
        .col_expr(message::Column::Status, Expr::value(MessageStatus::Pending.as_str()))
        .col_expr(message::Column::FailureReason, Expr::value(Option::<String>::None))
        .col_expr(message::Column::FailureCode, Expr::value(Option::<String>::None))
        .col_expr(message::Column::DeliveryAttempts, Expr::value(0))
        .col_expr(message::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(message::Column::TenantId.eq(scope.tenant_id))
        .filter(message::Column::Id.eq(id))
        .filter(message::Column::Status.eq(MessageStatus::Failed.as_str()))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

/// Fields of an uploaded file.
pub struct NewAttachment {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub storage_key: String,
}

pub async fn attachment_insert(
    db: &impl ConnectionTrait,
    scope: &Scope,
    new: NewAttachment,
) -> Result<attachment::Model, sea_orm::DbErr> {
    attachment::ActiveModel {
        id: Set(new.id),
        tenant_id: Set(scope.tenant_id),
        uploaded_by: Set((!scope.is_system()).then_some(scope.user_id)),
        message_id: Set(None),
        file_name: Set(new.file_name),
        content_type: Set(new.content_type),
        size_bytes: Set(new.size_bytes),
        storage_key: Set(new.storage_key),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}

pub async fn attachment_get(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
) -> Result<Option<attachment::Model>, sea_orm::DbErr> {
    attachment::Entity::find_by_id(id).filter(attachment::Column::TenantId.eq(scope.tenant_id)).one(db).await
}

/// Attachments of the caller's tenant not yet tied to a message.
pub async fn attachments_unused(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[Uuid],
) -> Result<Vec<attachment::Model>, sea_orm::DbErr> {
    attachment::Entity::find()
        .filter(attachment::Column::TenantId.eq(scope.tenant_id))
        .filter(attachment::Column::Id.is_in(ids.iter().copied()))
        .filter(attachment::Column::MessageId.is_null())
        .all(db)
        .await
}

/// Ties attachments to the message that sent them.
pub async fn attachments_link(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[Uuid],
    message_id: Uuid,
) -> Result<(), sea_orm::DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    attachment::Entity::update_many()
        .col_expr(attachment::Column::MessageId, Expr::value(message_id))
        .filter(attachment::Column::TenantId.eq(scope.tenant_id))
        .filter(attachment::Column::Id.is_in(ids.iter().copied()))
        .exec(db)
        .await?;
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

/// What erasing a contact's inbox history removed.
pub struct ErasedInbox {
    pub conversations: u64,
    pub messages: u64,
    /// Storage keys of the removed attachments (the files go after commit).
    pub storage_keys: Vec<String>,
}

/// Erases a contact's conversations with their messages, read markers and attachment
/// rows (contact erasure, LGPD). Explicit rather than FK cascades, so nothing depends
/// on SQLite's foreign_keys pragma.
pub async fn erase_for_contact(
    db: &impl ConnectionTrait,
    scope: &Scope,
    contact_id: Uuid,
) -> Result<ErasedInbox, sea_orm::DbErr> {
    let conversations_of = || {
        Query::select()
            .column(conversation::Column::Id)
            .from(conversation::Entity)
            .and_where(conversation::Column::TenantId.eq(scope.tenant_id))
            .and_where(conversation::Column::ContactId.eq(contact_id))
            .to_owned()
    };
    let messages_of = || {
        Query::select()
            .column(message::Column::Id)
            .from(message::Entity)
            .and_where(message::Column::TenantId.eq(scope.tenant_id))
            .cond_where(
                Condition::any()
                    .add(message::Column::ConversationId.in_subquery(conversations_of()))
                    .add(message::Column::ContactId.eq(contact_id)),
            )
            .to_owned()
    };
    let files = attachment::Entity::find()
        .filter(attachment::Column::TenantId.eq(scope.tenant_id))
        .filter(attachment::Column::MessageId.in_subquery(messages_of()))
        .all(db)
        .await?;
    attachment::Entity::delete_many()
        .filter(attachment::Column::TenantId.eq(scope.tenant_id))
        .filter(attachment::Column::Id.is_in(files.iter().map(|f| f.id)))
        .exec(db)
        .await?;
    super::search::unindex_selected(db, scope, messages_of()).await?;
    let messages = message::Entity::delete_many()
        .filter(message::Column::TenantId.eq(scope.tenant_id))
        .filter(message::Column::Id.in_subquery(messages_of()))
        .exec(db)
        .await?
        .rows_affected;
    read_marker::Entity::delete_many()
        .filter(read_marker::Column::TenantId.eq(scope.tenant_id))
        .filter(read_marker::Column::ConversationId.in_subquery(conversations_of()))
        .exec(db)
        .await?;
    let conversations = conversation::Entity::delete_many()
        .filter(conversation::Column::TenantId.eq(scope.tenant_id))
        .filter(conversation::Column::ContactId.eq(contact_id))
        .exec(db)
        .await?
        .rows_affected;
    Ok(ErasedInbox { conversations, messages, storage_keys: files.into_iter().map(|f| f.storage_key).collect() })
}

/// Moves a contact's conversations and messages to another contact (merge).
pub async fn reassign_contact(
    db: &impl ConnectionTrait,
    scope: &Scope,
    from: Uuid,
    to: Uuid,
) -> Result<(), sea_orm::DbErr> {
    conversation::Entity::update_many()
        .col_expr(conversation::Column::ContactId, Expr::value(to))
        .filter(conversation::Column::TenantId.eq(scope.tenant_id))
        .filter(conversation::Column::ContactId.eq(from))
        .exec(db)
        .await?;
    message::Entity::update_many()
        .col_expr(message::Column::ContactId, Expr::value(to))
        .filter(message::Column::TenantId.eq(scope.tenant_id))
        .filter(message::Column::ContactId.eq(from))
        .exec(db)
        .await?;
    Ok(())
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

/// Two conversations of one person on one channel folded into one (after a merge).
#[derive(Debug, Clone, PartialEq)]
pub struct Combined {
    /// The older conversation, which keeps the whole history.
    pub kept: Uuid,
    /// The newer one's row as it was before it was deleted.
    pub removed: conversation::Model,
}

/// After a contact merge, leaves the person at most one unresolved conversation per
/// channel: a newer unresolved conversation on a channel is folded into the oldest.
/// Its messages move (the history stays in order: message ids are time-ordered), so do
/// charges linked to it; activity fields take the latest, assignee and team are kept
/// from the older one when set; read markers of the newer one go with it. Resolved
/// conversations are history and stay as they are.
pub async fn combine_unresolved(
    db: &impl ConnectionTrait,
    scope: &Scope,
    contact_id: Uuid,
) -> Result<Vec<Combined>, sea_orm::DbErr> {
    let unresolved = conversation::Entity::find()
        .filter(conversation::Column::TenantId.eq(scope.tenant_id))
        .filter(conversation::Column::ContactId.eq(contact_id))
        .filter(conversation::Column::Status.ne(ConversationStatus::Resolved.as_str()))
        .order_by_asc(conversation::Column::CreatedAt)
        .order_by_asc(conversation::Column::Id)
        .all(db)
        .await?;
    let mut oldest: HashMap<Uuid, conversation::Model> = HashMap::new();
    let mut combined = Vec::new();
    for newer in unresolved {
        let Some(kept) = oldest.get(&newer.channel_id).cloned() else {
            oldest.insert(newer.channel_id, newer);
            continue;
        };
        message::Entity::update_many()
            .col_expr(message::Column::ConversationId, Expr::value(kept.id))
            .filter(message::Column::TenantId.eq(scope.tenant_id))
            .filter(message::Column::ConversationId.eq(newer.id))
            .exec(db)
            .await?;
        super::search::move_conversation(db, scope, newer.id, kept.id).await?;
        crate::payments::entity::charge::Entity::update_many()
            .col_expr(crate::payments::entity::charge::Column::ConversationId, Expr::value(kept.id))
            .filter(crate::payments::entity::charge::Column::TenantId.eq(scope.tenant_id))
            .filter(crate::payments::entity::charge::Column::ConversationId.eq(newer.id))
            .exec(db)
            .await?;
        read_marker::Entity::delete_many()
            .filter(read_marker::Column::TenantId.eq(scope.tenant_id))
            .filter(read_marker::Column::ConversationId.eq(newer.id))
            .exec(db)
            .await?;
        conversation::Entity::delete_many()
            .filter(conversation::Column::TenantId.eq(scope.tenant_id))
            .filter(conversation::Column::Id.eq(newer.id))
            .exec(db)
            .await?;
        let open =
            kept.status == ConversationStatus::Open.as_str() || newer.status == ConversationStatus::Open.as_str();
        let latest = newer.last_activity_at > kept.last_activity_at;
        let updated = conversation_update(db, scope, kept.clone(), |c| {
            if open {
                c.status = Set(ConversationStatus::Open.as_str().into());
            }
            if latest {
                c.last_activity_at = Set(newer.last_activity_at);
                c.last_message_preview = Set(newer.last_message_preview.clone());
            }
            c.last_incoming_at = Set(std::cmp::Ord::max(kept.last_incoming_at, newer.last_incoming_at));
            c.first_reply_at = Set(match (kept.first_reply_at, newer.first_reply_at) {
                (Some(a), Some(b)) => Some(std::cmp::Ord::min(a, b)),
                (a, b) => a.or(b),
            });
            c.assignee_id = Set(kept.assignee_id.or(newer.assignee_id));
            c.team_id = Set(kept.team_id.or(newer.team_id));
            c.snoozed_until = Set(if open { None } else { kept.snoozed_until });
        })
        .await?;
        combined.push(Combined { kept: kept.id, removed: newer });
        oldest.insert(updated.channel_id, updated);
    }
    Ok(combined)
}
