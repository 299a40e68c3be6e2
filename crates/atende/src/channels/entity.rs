//! `channels` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "channels")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub tenant_id: Uuid,
    pub channel_type: String,
    pub name: String,
    pub account_id: Option<String>,
    /// AES-GCM sealed JSON of the provider credentials.
    pub credentials_sealed: Option<String>,
    /// AES-GCM sealed webhook secret.
    pub webhook_secret_sealed: String,
    pub callback_url: Option<String>,
    pub settings: Option<Json>,
    pub enabled: bool,
    pub connection_status: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
