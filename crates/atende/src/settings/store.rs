//! SQL for tenant settings (one JSON document per tenant).

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, IntoActiveModel, Set};

use super::entity;
use crate::tenancy::Scope;

/// The caller's stored settings row, if ever saved.
pub async fn get(db: &impl ConnectionTrait, scope: &Scope) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    entity::Entity::find_by_id(scope.tenant_id).one(db).await
}

/// Stores the caller's settings document (insert or replace).
pub async fn save(db: &impl ConnectionTrait, scope: &Scope, settings: serde_json::Value) -> Result<(), sea_orm::DbErr> {
    match get(db, scope).await? {
        Some(row) => {
            let mut active = row.into_active_model();
            active.settings = Set(settings);
            active.updated_at = Set(Utc::now());
            active.update(db).await?;
        }
        None => {
            entity::ActiveModel {
                tenant_id: Set(scope.tenant_id),
                settings: Set(settings),
                updated_at: Set(Utc::now()),
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}
