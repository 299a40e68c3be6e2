//! SQL for platform admins.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use uuid::Uuid;

use super::entity;

pub async fn find_admin_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    entity::Entity::find().filter(entity::Column::Email.eq(email.to_lowercase())).one(db).await
}

pub async fn find_admin(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    entity::Entity::find_by_id(id).one(db).await
}

pub async fn insert_admin(
    db: &impl ConnectionTrait,
    email: &str,
    name: &str,
    password_hash: &str,
) -> Result<entity::Model, sea_orm::DbErr> {
    entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(email.trim().to_lowercase()),
        name: Set(name.to_string()),
        password_hash: Set(password_hash.to_string()),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await
}
