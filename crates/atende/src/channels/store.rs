//! SQL for channels; tenant functions take the `Scope`, webhook routing uses the
//! `platform_` lookup (the tenant comes from the channel row, never the payload).

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use uuid::Uuid;

use super::entity;
use crate::{db::cache::RowCache, tenancy::Scope};

/// Channels behind webhook URLs, read on every delivery (see `db::cache`).
static ROUTING: std::sync::LazyLock<RowCache<Uuid, entity::Model>> =
    std::sync::LazyLock::new(|| RowCache::new(std::time::Duration::from_secs(5)));

/// Fields of a new channel (credentials and secret already sealed).
pub struct NewChannel {
    pub channel_type: String,
    pub name: String,
    pub account_id: Option<String>,
    pub credentials_sealed: Option<String>,
    pub webhook_secret_sealed: String,
    pub callback_url: Option<String>,
    /// Non-secret per-type options.
    pub settings: Option<serde_json::Value>,
    /// Initial connection state (`connected` for channels that need no pairing).
    pub connection_status: String,
}

pub async fn insert(
    db: &impl ConnectionTrait,
    scope: &Scope,
    new: NewChannel,
) -> Result<entity::Model, sea_orm::DbErr> {
    let now = Utc::now();
    entity::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(scope.tenant_id),
        channel_type: Set(new.channel_type),
        name: Set(new.name),
        account_id: Set(new.account_id),
        credentials_sealed: Set(new.credentials_sealed),
        webhook_secret_sealed: Set(new.webhook_secret_sealed),
        callback_url: Set(new.callback_url),
        settings: Set(new.settings),
        enabled: Set(true),
        connection_status: Set(new.connection_status),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await
}

pub async fn list(db: &impl ConnectionTrait, scope: &Scope) -> Result<Vec<entity::Model>, sea_orm::DbErr> {
    entity::Entity::find()
        .filter(entity::Column::TenantId.eq(scope.tenant_id))
        .order_by_asc(entity::Column::Name)
        .all(db)
        .await
}

pub async fn get(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    entity::Entity::find_by_id(id).filter(entity::Column::TenantId.eq(scope.tenant_id)).one(db).await
}

pub async fn get_many(
    db: &impl ConnectionTrait,
    scope: &Scope,
    ids: &[Uuid],
) -> Result<Vec<entity::Model>, sea_orm::DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    entity::Entity::find()
        .filter(entity::Column::TenantId.eq(scope.tenant_id))
        .filter(entity::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await
}

/// Saves changes to a channel loaded through the scope.
pub async fn update(
    db: &impl ConnectionTrait,
    scope: &Scope,
    current: entity::Model,
    apply: impl FnOnce(&mut entity::ActiveModel),
) -> Result<entity::Model, sea_orm::DbErr> {
    ROUTING.forget(&current.id);
    let mut active = current.into_active_model();
    active.tenant_id = Set(scope.tenant_id);
    apply(&mut active);
    active.updated_at = Set(Utc::now());
    active.update(db).await
}

/// A channel by id for webhook routing, whatever its tenant.
pub async fn platform_find(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    entity::Entity::find_by_id(id).one(db).await
}

/// `platform_find` through the routing cache: the webhook and pipeline path, where a
/// channel is read for every delivery. A change made here shows at once on this
/// instance, within seconds on the others.
pub async fn platform_find_routing(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<entity::Model>, sea_orm::DbErr> {
    ROUTING.get_or_load(id, platform_find(db, id)).await
}

/// Whether an enabled channel of these types other than `except` already has this
/// account id, in any tenant (Meta ids are unique platform-wide: the shared webhook
/// routes by them). Served by `ux_channels_meta_account`.
pub async fn platform_account_in_use(
    db: &impl ConnectionTrait,
    channel_types: &[&str],
    account_id: &str,
    except: Option<Uuid>,
) -> Result<bool, sea_orm::DbErr> {
    let mut query = entity::Entity::find()
        .filter(entity::Column::ChannelType.is_in(channel_types.iter().copied()))
        .filter(entity::Column::AccountId.eq(account_id))
        .filter(entity::Column::Enabled.eq(true));
    if let Some(id) = except {
        query = query.filter(entity::Column::Id.ne(id));
    }
    Ok(query.count(db).await? > 0)
}

/// Channels of some types with this external account id, across tenants: routes a
/// shared provider webhook (Meta `/webhooks/meta`) by the account id in its payload.
/// The caller must still authenticate the payload against each channel's secret.
pub async fn platform_find_by_account(
    db: &impl ConnectionTrait,
    channel_types: &[&str],
    account_id: &str,
) -> Result<Vec<entity::Model>, sea_orm::DbErr> {
    // Served by ix_channels_type_account.
    entity::Entity::find()
        .filter(entity::Column::ChannelType.is_in(channel_types.iter().copied()))
        .filter(entity::Column::AccountId.eq(account_id))
        .filter(entity::Column::Enabled.eq(true))
        .order_by_asc(entity::Column::CreatedAt)
        .limit(50)
        .all(db)
        .await
}

/// Enabled channels of some types across tenants (Meta's shared verification handshake
/// compares the token against each), oldest first, at most `limit`.
pub async fn platform_list_by_types(
    db: &impl ConnectionTrait,
    channel_types: &[&str],
    limit: u64,
) -> Result<Vec<entity::Model>, sea_orm::DbErr> {
    entity::Entity::find()
        .filter(entity::Column::ChannelType.is_in(channel_types.iter().copied()))
        .filter(entity::Column::Enabled.eq(true))
        .order_by_asc(entity::Column::CreatedAt)
        .limit(limit)
        .all(db)
        .await
}

/// Every channel's sealed values, across tenants (master key rotation).
pub async fn platform_all_sealed(
    db: &impl ConnectionTrait,
) -> Result<Vec<(Uuid, Option<String>, String)>, sea_orm::DbErr> {
    Ok(entity::Entity::find()
        .order_by_asc(entity::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.credentials_sealed, c.webhook_secret_sealed))
        .collect())
}

/// Replaces a channel's sealed values (master key rotation).
pub async fn platform_reseal(
    db: &impl ConnectionTrait,
    id: Uuid,
    credentials_sealed: Option<String>,
    webhook_secret_sealed: String,
) -> Result<(), sea_orm::DbErr> {
    ROUTING.forget(&id);
    entity::Entity::update_many()
        .col_expr(entity::Column::CredentialsSealed, sea_orm::sea_query::Expr::value(credentials_sealed))
        .col_expr(entity::Column::WebhookSecretSealed, sea_orm::sea_query::Expr::value(webhook_secret_sealed))
        .filter(entity::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
