//! SQL of interaction categories and conversation tags; every query is scoped to the
//! caller's tenant.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait,
    QueryFilter, QueryOrder,
};
use uuid::Uuid;

use super::{
    categories::name_key,
    entity::{category, conversation_category as tag},
};
use crate::tenancy::Scope;

/// The tenant's categories (`with_deleted`: soft-deleted ones too).
pub async fn list(
    db: &impl ConnectionTrait,
    scope: &Scope,
    with_deleted: bool,
) -> Result<Vec<category::Model>, sea_orm::DbErr> {
    let mut query = category::Entity::find().filter(category::Column::TenantId.eq(scope.tenant_id));
    if !with_deleted {
        query = query.filter(category::Column::DeletedAt.is_null());
    }
    query.order_by_asc(category::Column::Name).all(db).await
}

/// One live category of the tenant.
pub async fn get(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
) -> Result<Option<category::Model>, sea_orm::DbErr> {
    category::Entity::find_by_id(id)
        .filter(category::Column::TenantId.eq(scope.tenant_id))
        .filter(category::Column::DeletedAt.is_null())
        .one(db)
        .await
}

/// A category to insert.
pub struct NewRow<'a> {
    pub parent_id: Option<Uuid>,
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub active: bool,
    pub at: DateTime<Utc>,
}

fn parent_key(parent: Option<Uuid>) -> String {
    parent.map(|p| p.to_string()).unwrap_or_default()
}

/// Inserts a category; a live one with the same name under the same parent is a
/// unique-key violation.
pub async fn insert(db: &impl ConnectionTrait, scope: &Scope, row: NewRow<'_>) -> Result<Uuid, sea_orm::DbErr> {
    let id = Uuid::now_v7();
    category::ActiveModel {
        id: Set(id),
        tenant_id: Set(scope.tenant_id),
        parent_id: Set(row.parent_id),
        parent_key: Set(parent_key(row.parent_id)),
        name: Set(row.name.to_string()),
        name_key: Set(name_key(row.name)),
        description: Set(row.description.map(str::to_string)),
        active: Set(row.active),
        created_at: Set(row.at),
        updated_at: Set(row.at),
        deleted_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok(id)
}

/// Applies the changed fields.
#[allow(clippy::too_many_arguments)]
pub async fn update(
    db: &impl ConnectionTrait,
    scope: &Scope,
    current: category::Model,
    name: Option<String>,
    parent: Option<Option<Uuid>>,
    description: Option<Option<String>>,
    active: Option<bool>,
    at: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    debug_assert_eq!(current.tenant_id, scope.tenant_id);
    let mut row = current.into_active_model();
    if let Some(name) = name {
        row.name_key = Set(name_key(&name));
        row.name = Set(name);
    }
    if let Some(parent) = parent {
        row.parent_id = Set(parent);
        row.parent_key = Set(parent_key(parent));
    }
    if let Some(description) = description {
        row.description = Set(description);
    }
    if let Some(active) = active {
        row.active = Set(active);
    }
    row.updated_at = Set(at);
    row.update(db).await?;
    Ok(())
}

/// Whether live categories sit under this one.
pub async fn has_children(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<bool, sea_orm::DbErr> {
    Ok(category::Entity::find()
        .filter(category::Column::TenantId.eq(scope.tenant_id))
        .filter(category::Column::ParentId.eq(id))
        .filter(category::Column::DeletedAt.is_null())
        .count(db)
        .await?
        > 0)
}

/// Marks a category deleted (and inactive); its tags stay.
pub async fn soft_delete(
    db: &impl ConnectionTrait,
    scope: &Scope,
    current: category::Model,
    at: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    debug_assert_eq!(current.tenant_id, scope.tenant_id);
    let mut row = current.into_active_model();
    row.deleted_at = Set(Some(at));
    row.active = Set(false);
    row.updated_at = Set(at);
    row.update(db).await?;
    Ok(())
}

/// Tags of these conversations.
pub async fn tagged(
    db: &impl ConnectionTrait,
    scope: &Scope,
    conversation_ids: &[Uuid],
) -> Result<Vec<tag::Model>, sea_orm::DbErr> {
    if conversation_ids.is_empty() {
        return Ok(Vec::new());
    }
    tag::Entity::find()
        .filter(tag::Column::TenantId.eq(scope.tenant_id))
        .filter(tag::Column::ConversationId.is_in(conversation_ids.iter().copied()))
        .order_by_asc(tag::Column::TaggedAt)
        .all(db)
        .await
}

/// Makes `ids` the conversation's categories: others are removed, new ones recorded
/// with who and when, kept ones untouched.
pub async fn set_tags(
    db: &impl ConnectionTrait,
    scope: &Scope,
    conversation_id: Uuid,
    ids: &[Uuid],
    by: Uuid,
    at: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let current = tagged(db, scope, &[conversation_id]).await?;
    let removed: Vec<Uuid> = current.iter().filter(|t| !ids.contains(&t.category_id)).map(|t| t.id).collect();
    if !removed.is_empty() {
        tag::Entity::delete_many()
            .filter(tag::Column::TenantId.eq(scope.tenant_id))
            .filter(tag::Column::Id.is_in(removed))
            .exec(db)
            .await?;
    }
    for id in ids.iter().filter(|id| !current.iter().any(|t| t.category_id == **id)) {
        tag::ActiveModel {
            id: Set(Uuid::now_v7()),
            tenant_id: Set(scope.tenant_id),
            conversation_id: Set(conversation_id),
            category_id: Set(*id),
            tagged_by: Set(by),
            tagged_at: Set(at),
        }
        .insert(db)
        .await?;
    }
    Ok(())
}
