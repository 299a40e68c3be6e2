//! Audit log of sensitive actions (logins, users and roles, teams, channels and their
//! credentials, settings, exports, charge cancellations, merges, erasures, forced
//! logouts, tenant suspension), readable by the workspace's admins (`routes.rs`).

pub mod entity;
pub mod model;
pub mod routes;
pub mod store;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, Set};
use serde_json::Value;
use uuid::Uuid;

use crate::tenancy::Scope;

/// Who did it.
#[derive(Debug, Clone, Copy)]
pub enum Actor {
    User(Uuid),
    PlatformAdmin(Uuid),
    System,
}

/// One audit entry.
pub struct Entry<'a> {
    pub action: &'a str,
    pub target_type: Option<&'a str>,
    pub target_id: Option<Uuid>,
    pub details: Option<Value>,
    pub ip: Option<String>,
}

impl<'a> Entry<'a> {
    /// An entry about a target.
    pub fn new(action: &'a str, target_type: &'a str, target_id: Uuid) -> Self {
        Entry { action, target_type: Some(target_type), target_id: Some(target_id), details: None, ip: None }
    }

    pub fn details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn ip(mut self, ip: Option<String>) -> Self {
        self.ip = ip;
        self
    }
}

/// Records an action inside the caller's tenant.
pub async fn record(db: &impl ConnectionTrait, scope: &Scope, entry: Entry<'_>) -> Result<(), sea_orm::DbErr> {
    insert(db, Some(scope.tenant_id), Actor::User(scope.user_id), entry).await
}

/// Records an action with an explicit tenant (login, platform actions).
pub async fn insert(
    db: &impl ConnectionTrait,
    tenant_id: Option<Uuid>,
    actor: Actor,
    entry: Entry<'_>,
) -> Result<(), sea_orm::DbErr> {
    let (actor_kind, actor_id) = match actor {
        Actor::User(id) => ("user", Some(id)),
        Actor::PlatformAdmin(id) => ("platform_admin", Some(id)),
        Actor::System => ("system", None),
    };
    entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        actor_id: Set(actor_id),
        actor_kind: Set(actor_kind.into()),
        action: Set(entry.action.into()),
        target_type: Set(entry.target_type.map(Into::into)),
        target_id: Set(entry.target_id),
        details: Set(entry.details),
        ip: Set(entry.ip),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}
