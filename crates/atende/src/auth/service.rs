//! Login, logout and request authentication.

use chrono::{Duration, Utc};
use serde_json::json;
use uuid::Uuid;

use super::{store, store::ClientInfo, token};
use crate::{
    audit::{self, Actor, Entry},
    error::{AppError, AppResult},
    events::{self, AccessRevoked, AgentSignedIn, RevokeReason},
    state::AppState,
    tenancy::{self, Role, Scope, TenantStatus},
    users::entity as user,
};

/// A successful login.
pub struct LoginOutcome {
    pub token: String,
    pub expires_at: chrono::DateTime<Utc>,
    pub user: user::Model,
    pub tenant: tenancy::entity::Model,
}

/// Checks workspace + email + password; opens a session and signs its token.
pub async fn login(
    state: &AppState,
    workspace: &str,
    email: &str,
    password: &str,
    client: &ClientInfo,
) -> AppResult<LoginOutcome> {
    let db = &state.db;
    let tenant = tenancy::store::platform_find_by_slug(db, workspace.trim()).await?;
    let user = match &tenant {
        Some(t) => store::platform_find_by_email(db, t.id, email.trim()).await?,
        None => None,
    };
    // Verify even when the account is unknown, so timing does not reveal which part was wrong.
    let hash =
        user.as_ref().map(|u| u.password_hash.clone()).unwrap_or_else(|| super::password::dummy_hash().to_string());
    let password = password.to_string();
    let matches = tokio::task::spawn_blocking(move || super::password::verify(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let (Some(tenant), Some(user)) = (tenant, user) else { return Err(AppError::InvalidCredentials) };
    if !matches || !user.active {
        audit::insert(
            db,
            Some(tenant.id),
            Actor::User(user.id),
            Entry::new("auth.login_failed", "user", user.id).ip(client.ip.clone()),
        )
        .await?;
        return Err(AppError::InvalidCredentials);
    }
    if tenant.status != TenantStatus::Active.as_str() {
        return Err(AppError::TenantSuspended);
    }
    let expires_at = Utc::now() + Duration::minutes(i64::from(state.config.token_ttl_minutes));
    let txn = crate::db::begin_write(db).await?;
    let session = store::insert_session(&txn, Some(tenant.id), user.id, expires_at, client).await?;
    let token = state.tokens.sign(&token::claims(user.id, Some(tenant.id), session.id, expires_at))?;
    store::touch_last_login(&txn, tenant.id, user.id).await?;
    audit::insert(
        &txn,
        Some(tenant.id),
        Actor::User(user.id),
        Entry::new("auth.login", "user", user.id).ip(client.ip.clone()),
    )
    .await?;
    // The work session opens from this event (productivity subscribes to it).
    let signed_in =
        AgentSignedIn { tenant_id: tenant.id, user_id: user.id, session_id: session.id, at: state.now(), expires_at };
    events::record(&txn, vec![signed_in.into()]).await?;
    events::commit(txn, &state.events).await?;
    Ok(LoginOutcome { token, expires_at, user, tenant })
}

/// Resolves a bearer/cookie token into the caller's Scope.
pub async fn authenticate(state: &AppState, raw: &str) -> AppResult<Scope> {
    let db = &state.db;
    let (tenant_id, user_id, session_id) = if raw.starts_with(token::API_TOKEN_PREFIX) {
        let api = store::platform_find_live_api_token(db, &token::hash_api_token(raw))
            .await?
            .ok_or(AppError::Unauthorized)?;
        store::touch_api_token(db, api.id).await?;
        (api.tenant_id, api.user_id, None)
    } else {
        let claims = state.tokens.verify(raw).ok_or(AppError::Unauthorized)?;
        let tenant_id = claims.tid.ok_or(AppError::Unauthorized)?;
        store::find_live_session(db, claims.sid, claims.sub, Some(tenant_id)).await?.ok_or(AppError::Unauthorized)?;
        (tenant_id, claims.sub, Some(claims.sid))
    };
    let tenant = tenancy::store::platform_find(db, tenant_id).await?.ok_or(AppError::Unauthorized)?;
    if tenant.status != TenantStatus::Active.as_str() {
        return Err(AppError::TenantSuspended);
    }
    let user = store::platform_find_in_tenant(db, tenant_id, user_id).await?.ok_or(AppError::Unauthorized)?;
    if !user.active {
        return Err(AppError::Unauthorized);
    }
    let memberships = store::platform_memberships(db, tenant_id, user_id).await?;
    Ok(Scope {
        tenant_id,
        user_id,
        role: Role::parse(&user.role).unwrap_or(Role::Agent),
        team_ids: memberships.iter().map(|m| m.team_id).collect(),
        supervised_team_ids: memberships.iter().filter(|m| m.supervisor).map(|m| m.team_id).collect(),
        session_id,
    })
}

/// Ends the caller's login session (API tokens are revoked through their own endpoint).
pub async fn logout(state: &AppState, scope: &Scope) -> AppResult<()> {
    if let Some(session_id) = scope.session_id {
        let txn = crate::db::begin_write(&state.db).await?;
        store::revoke_session(&txn, session_id).await?;
        audit::record(&txn, scope, Entry::new("auth.logout", "user", scope.user_id)).await?;
        let revoked = AccessRevoked {
            tenant_id: scope.tenant_id,
            user_id: Some(scope.user_id),
            session_id: Some(session_id),
            reason: RevokeReason::Logout,
            at: Some(state.now()),
        };
        events::record(&txn, vec![revoked.into()]).await?;
        events::commit(txn, &state.events).await?;
    }
    Ok(())
}

/// Creates a personal API token for the caller; the token is shown once.
pub async fn create_api_token(
    state: &AppState,
    scope: &Scope,
    name: &str,
    expires_in_days: Option<u32>,
) -> AppResult<(String, super::entity::api_token::Model)> {
    let (token, hash) = token::new_api_token();
    let prefix: String = token.chars().take(12).collect();
    let expires_at = expires_in_days.map(|d| Utc::now() + Duration::days(i64::from(d)));
    let row = store::insert_api_token(&state.db, scope, name.trim(), &hash, &prefix, expires_at).await?;
    audit::record(
        &state.db,
        scope,
        Entry::new("api_token.created", "api_token", row.id).details(json!({ "name": row.name })),
    )
    .await?;
    Ok((token, row))
}

/// The signed-in user and their workspace.
pub async fn me(state: &AppState, scope: &Scope) -> AppResult<(user::Model, tenancy::entity::Model)> {
    let db = &state.db;
    let user =
        store::platform_find_in_tenant(db, scope.tenant_id, scope.user_id).await?.ok_or(AppError::Unauthorized)?;
    let tenant = tenancy::store::platform_find(db, scope.tenant_id).await?.ok_or(AppError::Unauthorized)?;
    Ok((user, tenant))
}

/// Ends the user's login sessions other than the caller's current one (after a password
/// change), each with its own `access_revoked` so its sockets are told and closed and
/// its work session ends. API tokens stay: they are revoked one by one.
pub async fn end_other_sessions(state: &AppState, scope: &Scope, user_id: Uuid) -> AppResult<()> {
    let keep = if user_id == scope.user_id { scope.session_id } else { None };
    let txn = crate::db::begin_write(&state.db).await?;
    let ended = store::revoke_sessions_except(&txn, scope, user_id, keep).await?;
    if !ended.is_empty() {
        audit::record(
            &txn,
            scope,
            Entry::new("auth.sessions_ended", "user", user_id)
                .details(json!({ "sessions": ended.len(), "kept": keep.is_some() })),
        )
        .await?;
    }
    let events: Vec<_> = ended
        .into_iter()
        .map(|session| {
            AccessRevoked {
                tenant_id: scope.tenant_id,
                user_id: Some(user_id),
                session_id: Some(session),
                reason: RevokeReason::AccessRevoked,
                at: Some(state.now()),
            }
            .into()
        })
        .collect();
    events::record(&txn, events).await?;
    events::commit(txn, &state.events).await?;
    Ok(())
}

/// Checks a user's current password (a signed-in user changing their own).
pub async fn verify_password(hash: &str, password: &str) -> AppResult<bool> {
    let (hash, password) = (hash.to_string(), password.to_string());
    tokio::task::spawn_blocking(move || super::password::verify(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.into()))
}

/// Revokes everything a user holds (used when deactivating).
pub async fn revoke_user(state: &AppState, scope: &Scope, user_id: Uuid) -> AppResult<()> {
    let txn = crate::db::begin_write(&state.db).await?;
    store::revoke_all_for_user(&txn, scope, user_id).await?;
    // A forced logout of every session, token and socket of the user.
    audit::record(&txn, scope, Entry::new("auth.access_revoked", "user", user_id)).await?;
    let revoked = AccessRevoked {
        tenant_id: scope.tenant_id,
        user_id: Some(user_id),
        session_id: None,
        reason: RevokeReason::AccessRevoked,
        at: Some(state.now()),
    };
    events::record(&txn, vec![revoked.into()]).await?;
    events::commit(txn, &state.events).await?;
    Ok(())
}
