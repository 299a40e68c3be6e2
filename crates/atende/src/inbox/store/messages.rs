//! SQL for messages (and their delivery state); every function takes the `Scope`.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, sea_query::Expr,
};
use uuid::Uuid;

use super::super::{entity::message, model::MessageStatus};
use crate::tenancy::Scope;

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
    super::super::search::index_message(db, scope, &inserted).await?;
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
    super::super::search::index_messages(db, scope, rows).await
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
