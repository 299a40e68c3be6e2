//! SQL for uploaded files; every function takes the `Scope` (the signed public link
//! reads by id alone: `platform_` prefix).

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr};
use uuid::Uuid;

use super::super::entity::attachment;
use crate::tenancy::Scope;

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
