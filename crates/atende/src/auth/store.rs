//! SQL for login sessions and personal API tokens.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set, sea_query::Expr,
};
use uuid::Uuid;

use super::entity::{api_token, session};
use crate::{teams::entity::member as team_member, tenancy::Scope, users::entity as user};

/// Where a login came from, kept with the session.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// Opens a session (tenant user when `tenant_id` is set, platform admin otherwise).
pub async fn insert_session(
    db: &impl ConnectionTrait,
    tenant_id: Option<Uuid>,
    user_id: Uuid,
    expires_at: DateTime<Utc>,
    client: &ClientInfo,
) -> Result<session::Model, sea_orm::DbErr> {
    session::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(tenant_id),
        user_id: Set(user_id),
        platform: Set(tenant_id.is_none()),
        created_at: Set(Utc::now()),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        ip: Set(client.ip.clone()),
        user_agent: Set(client.user_agent.as_deref().map(|ua| ua.chars().take(300).collect())),
    }
    .insert(db)
    .await
}

/// A live (not revoked, not expired) session matching the token's claims.
pub async fn find_live_session(
    db: &impl ConnectionTrait,
    session_id: Uuid,
    user_id: Uuid,
    tenant_id: Option<Uuid>,
) -> Result<Option<session::Model>, sea_orm::DbErr> {
    let mut query = session::Entity::find_by_id(session_id)
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null())
        .filter(session::Column::ExpiresAt.gt(Utc::now()));
    query = match tenant_id {
        Some(tid) => query.filter(session::Column::TenantId.eq(tid)),
        None => query.filter(session::Column::Platform.eq(true)),
    };
    query.one(db).await
}

/// Revokes one session (logout).
pub async fn revoke_session(db: &impl ConnectionTrait, session_id: Uuid) -> Result<(), sea_orm::DbErr> {
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(session::Column::Id.eq(session_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Revokes a user's live login sessions in the caller's tenant, except `keep`; returns
/// the ids it revoked (a password change ends the other sessions).
pub async fn revoke_sessions_except(
    db: &impl ConnectionTrait,
    scope: &Scope,
    user_id: Uuid,
    keep: Option<Uuid>,
) -> Result<Vec<Uuid>, sea_orm::DbErr> {
    let mut live = session::Entity::find()
        .filter(session::Column::TenantId.eq(scope.tenant_id))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null());
    if let Some(keep) = keep {
        live = live.filter(session::Column::Id.ne(keep));
    }
    let ids: Vec<Uuid> = live.all(db).await?.into_iter().map(|s| s.id).collect();
    if !ids.is_empty() {
        session::Entity::update_many()
            .col_expr(session::Column::RevokedAt, Expr::value(Utc::now()))
            .filter(session::Column::TenantId.eq(scope.tenant_id))
            .filter(session::Column::Id.is_in(ids.clone()))
            .exec(db)
            .await?;
    }
    Ok(ids)
}

/// Revokes every session and API token of a user of the caller's tenant (deactivation).
pub async fn revoke_all_for_user(
    db: &impl ConnectionTrait,
    scope: &Scope,
    user_id: Uuid,
) -> Result<(), sea_orm::DbErr> {
    let now = Utc::now();
    session::Entity::update_many()
        .col_expr(session::Column::RevokedAt, Expr::value(now))
        .filter(session::Column::TenantId.eq(scope.tenant_id))
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(now))
        .filter(api_token::Column::TenantId.eq(scope.tenant_id))
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Stores a new personal API token (only its hash).
pub async fn insert_api_token(
    db: &impl ConnectionTrait,
    scope: &Scope,
    name: &str,
    token_hash: &str,
    token_prefix: &str,
    expires_at: Option<DateTime<Utc>>,
) -> Result<api_token::Model, sea_orm::DbErr> {
    api_token::ActiveModel {
        id: Set(Uuid::now_v7()),
        tenant_id: Set(scope.tenant_id),
        user_id: Set(scope.user_id),
        name: Set(name.to_string()),
        token_hash: Set(token_hash.to_string()),
        token_prefix: Set(token_prefix.to_string()),
        created_at: Set(Utc::now()),
        last_used_at: Set(None),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
    }
    .insert(db)
    .await
}

/// Looks up a live API token by hash (authentication, before any Scope exists).
pub async fn platform_find_live_api_token(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<api_token::Model>, sea_orm::DbErr> {
    let token = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_hash))
        .filter(api_token::Column::RevokedAt.is_null())
        .one(db)
        .await?;
    Ok(token.filter(|t| t.expires_at.is_none_or(|exp| exp > Utc::now())))
}

/// Marks an API token as used now.
pub async fn touch_api_token(db: &impl ConnectionTrait, id: Uuid) -> Result<(), sea_orm::DbErr> {
    api_token::Entity::update_many()
        .col_expr(api_token::Column::LastUsedAt, Expr::value(Utc::now()))
        .filter(api_token::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The caller's own API tokens.
pub async fn list_api_tokens(
    db: &impl ConnectionTrait,
    scope: &Scope,
) -> Result<Vec<api_token::Model>, sea_orm::DbErr> {
    api_token::Entity::find()
        .filter(api_token::Column::TenantId.eq(scope.tenant_id))
        .filter(api_token::Column::UserId.eq(scope.user_id))
        .order_by_desc(api_token::Column::CreatedAt)
        .all(db)
        .await
}

/// Revokes one of the caller's API tokens; false when it is not theirs or not found.
pub async fn revoke_api_token(db: &impl ConnectionTrait, scope: &Scope, id: Uuid) -> Result<bool, sea_orm::DbErr> {
    let result = api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(Utc::now()))
        .filter(api_token::Column::Id.eq(id))
        .filter(api_token::Column::TenantId.eq(scope.tenant_id))
        .filter(api_token::Column::UserId.eq(scope.user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

// Identity look-ups for sign-in: auth reads user rows (the entity, a plain type) and
// never calls into users, which calls auth to revoke sessions.

/// Finds a user by email in a tenant, for login (before any Scope exists).
pub async fn platform_find_by_email(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    email: &str,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    user::Entity::find()
        .filter(user::Column::TenantId.eq(tenant_id))
        .filter(user::Column::Email.eq(email.to_lowercase()))
        .one(db)
        .await
}

/// Loads the user behind a verified session (tenant from the signed token).
pub async fn platform_find_in_tenant(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    user_id: Uuid,
) -> Result<Option<user::Model>, sea_orm::DbErr> {
    user::Entity::find_by_id(user_id).filter(user::Column::TenantId.eq(tenant_id)).one(db).await
}

/// Records a successful login.
pub async fn touch_last_login(db: &impl ConnectionTrait, tenant_id: Uuid, user_id: Uuid) -> Result<(), sea_orm::DbErr> {
    user::Entity::update_many()
        .col_expr(user::Column::LastLoginAt, Expr::value(Utc::now()))
        .filter(user::Column::TenantId.eq(tenant_id))
        .filter(user::Column::Id.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// A user's memberships, read while authenticating (before the Scope exists).
pub async fn platform_memberships(
    db: &impl ConnectionTrait,
    tenant_id: Uuid,
    user_id: Uuid,
) -> Result<Vec<team_member::Model>, sea_orm::DbErr> {
    team_member::Entity::find()
        .filter(team_member::Column::TenantId.eq(tenant_id))
        .filter(team_member::Column::UserId.eq(user_id))
        .all(db)
        .await
}
