//! SQL for notes on contacts; every function takes the `Scope`.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use uuid::Uuid;

use super::super::entity::note;
use crate::tenancy::Scope;

/// Notes on a contact, newest first.
pub async fn notes(
    db: &impl ConnectionTrait,
    scope: &Scope,
    contact_id: Uuid,
) -> Result<Vec<note::Model>, sea_orm::DbErr> {
    note::Entity::find()
        .filter(note::Column::TenantId.eq(scope.tenant_id))
        .filter(note::Column::ContactId.eq(contact_id))
        .order_by_desc(note::Column::CreatedAt)
        .order_by_desc(note::Column::Id)
        .all(db)
        .await
}

/// One note of a contact.
pub async fn get_note(
    db: &impl ConnectionTrait,
    scope: &Scope,
    contact_id: Uuid,
    note_id: Uuid,
) -> Result<Option<note::Model>, sea_orm::DbErr> {
    note::Entity::find_by_id(note_id)
        .filter(note::Column::TenantId.eq(scope.tenant_id))
        .filter(note::Column::ContactId.eq(contact_id))
        .one(db)
        .await
}

/// Adds a note written by the caller.
pub async fn insert_note(
    db: &impl ConnectionTrait,
    scope: &Scope,
    contact_id: Uuid,
    content: &str,
) -> Result<note::Model, sea_orm::DbErr> {
    note::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(scope.tenant_id),
        contact_id: Set(contact_id),
        author_id: Set((!scope.is_system()).then_some(scope.user_id)),
        content: Set(content.to_string()),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}

/// Deletes a note; false when it was not there.
pub async fn delete_note(db: &impl ConnectionTrait, scope: &Scope, note_id: Uuid) -> Result<bool, sea_orm::DbErr> {
    let result = note::Entity::delete_many()
        .filter(note::Column::TenantId.eq(scope.tenant_id))
        .filter(note::Column::Id.eq(note_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}
