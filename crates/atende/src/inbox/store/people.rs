//! SQL for a person's conversations as a whole: erasure, merge (reassign, combine).

use std::collections::HashMap;

use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::{Expr, Query},
};
use uuid::Uuid;

use super::super::{
    entity::{attachment, conversation, message, read_marker},
    model::ConversationStatus,
};
use crate::tenancy::Scope;

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
    super::super::search::unindex_selected(db, scope, messages_of()).await?;
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
        super::super::search::move_conversation(db, scope, newer.id, kept.id).await?;
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
        let updated = super::conversation_update(db, scope, kept.clone(), |c| {
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
