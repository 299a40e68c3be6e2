//! SQL for contacts, identities and notes; every function takes the caller's `Scope`.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr};
use uuid::Uuid;

use super::{
    entity::{contact, identity},
    model::{IdentityKind, LeadStatus},
};
use crate::tenancy::Scope;

/// Fields of a new contact.
#[derive(Debug, Default, Clone)]
pub struct NewContact {
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub source_channel_id: Option<Uuid>,
    pub custom_attributes: Option<serde_json::Value>,
    pub lead_status: Option<LeadStatus>,
}

/// An identity to attach.
#[derive(Debug, Clone)]
pub struct NewIdentity {
    pub kind: IdentityKind,
    pub value: String,
    pub channel_id: Option<Uuid>,
}

/// The contact known by this identity, if any.
pub async fn find_by_identity(
    db: &impl ConnectionTrait,
    scope: &Scope,
    kind: IdentityKind,
    scope_key: &str,
    value: &str,
) -> Result<Option<contact::Model>, sea_orm::DbErr> {
    let Some(found) = identity::Entity::find()
        .filter(identity::Column::TenantId.eq(scope.tenant_id))
        .filter(identity::Column::Kind.eq(kind.as_str()))
        .filter(identity::Column::Scope.eq(scope_key))
        .filter(identity::Column::Value.eq(value))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    get(db, scope, found.contact_id).await
}

/// Inserts a contact.
pub async fn insert(
    db: &impl ConnectionTrait,
    scope: &Scope,
    new: NewContact,
) -> Result<contact::Model, sea_orm::DbErr> {
    let now = Utc::now();
    contact::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(scope.tenant_id),
        name: Set(new.name),
        email: Set(new.email),
        phone: Set(new.phone),
        lead_status: Set(new.lead_status.unwrap_or(LeadStatus::New).as_str().to_string()),
        source_channel_id: Set(new.source_channel_id),
        custom_attributes: Set(new.custom_attributes),
        first_seen_at: Set(now),
        last_activity_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

/// Attaches an identity to a contact (unique per tenant + kind + scope + value).
pub async fn insert_identity(
    db: &impl ConnectionTrait,
    scope: &Scope,
    contact_id: Uuid,
    new: &NewIdentity,
) -> Result<identity::Model, sea_orm::DbErr> {
    let scope_key = match new.channel_id {
        Some(channel_id) => new.kind.scope_for(channel_id),
        None => String::new(),
    };
    identity::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(scope.tenant_id),
        contact_id: Set(contact_id),
        kind: Set(new.kind.as_str().to_string()),
        scope: Set(scope_key),
        value: Set(new.value.clone()),
        channel_id: Set(new.channel_id),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}

/// One contact of the caller's tenant.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<Option<contact::Model>, sea_orm::DbErr> {
    contact::Entity::find_by_id(id).filter(contact::Column::TenantId.eq(scope.tenant_id)).one(db).await
}

/// Several contacts of the caller's tenant.
pub async fn get_many(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[Uuid],
) -> Result<Vec<contact::Model>, sea_orm::DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    contact::Entity::find()
        .filter(contact::Column::TenantId.eq(scope.tenant_id))
        .filter(contact::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// Identities of some contacts.
pub async fn identities_of(
    db: &impl ConnectionTrait,
    scope: &Scope,
    contact_ids: &[Uuid],
) -> Result<Vec<identity::Model>, sea_orm::DbErr> {
    if contact_ids.is_empty() {
        return Ok(Vec::new());
    }
    identity::Entity::find()
        .filter(identity::Column::TenantId.eq(scope.tenant_id))
        .filter(identity::Column::ContactId.is_in(contact_ids.iter().copied()))
        .all(db)
        .await
}

/// Bumps a contact's last activity.
pub async fn touch_activity(
    db: &impl ConnectionTrait,
    scope: &Scope,
    id: Uuid,
    at: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    contact::Entity::update_many()
        .col_expr(contact::Column::LastActivityAt, Expr::value(at))
        .filter(contact::Column::TenantId.eq(scope.tenant_id))
        .filter(contact::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
