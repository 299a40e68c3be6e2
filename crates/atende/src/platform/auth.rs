//! Platform (super admin) sign-in: login, the `PlatformAdmin` extractor, logout.
//! Built on auth's sessions and tokens; auth knows nothing of platform admins.

use axum::{extract::FromRequestParts, http::request::Parts};
use chrono::{Duration, Utc};
use uuid::Uuid;

use crate::{
    audit::{self, Actor, Entry},
    auth::{
        extract, password,
        store::{self as auth_store, ClientInfo},
        token,
    },
    error::{AppError, AppResult},
    state::AppState,
};

/// A signed-in platform super admin (not a tenant member).
#[derive(Debug, Clone)]
pub struct PlatformAdmin {
    pub admin_id: Uuid,
    pub session_id: Uuid,
}

impl FromRequestParts<AppState> for PlatformAdmin {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let cred = extract::credential(parts).ok_or(AppError::Unauthorized)?;
        extract::csrf_check(parts, state, &cred)?;
        authenticate(state, &cred.token).await
    }
}

/// Platform (super admin) login.
pub async fn login(
    state: &AppState,
    email: &str,
    password: &str,
    client: &ClientInfo,
) -> AppResult<(String, chrono::DateTime<Utc>, super::entity::Model)> {
    let db = &state.db;
    let admin = super::store::find_admin_by_email(db, email.trim()).await?;
    let hash = admin.as_ref().map(|a| a.password_hash.clone()).unwrap_or_else(|| password::dummy_hash().to_string());
    let password = password.to_string();
    let matches = tokio::task::spawn_blocking(move || password::verify(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let Some(admin) = admin.filter(|_| matches) else { return Err(AppError::InvalidCredentials) };
    let expires_at = Utc::now() + Duration::minutes(i64::from(state.config.token_ttl_minutes));
    let session = auth_store::insert_session(db, None, admin.id, expires_at, client).await?;
    let token = state.tokens.sign(&token::claims(admin.id, None, session.id, expires_at))?;
    audit::insert(
        db,
        None,
        Actor::PlatformAdmin(admin.id),
        Entry::new("platform.login", "platform_admin", admin.id).ip(client.ip.clone()),
    )
    .await?;
    Ok((token, expires_at, admin))
}

/// Resolves a token into a platform admin; tenant tokens are refused.
pub async fn authenticate(state: &AppState, raw: &str) -> AppResult<PlatformAdmin> {
    let claims = state.tokens.verify(raw).ok_or(AppError::Unauthorized)?;
    if claims.tid.is_some() {
        return Err(AppError::Forbidden);
    }
    auth_store::find_live_session(&state.db, claims.sid, claims.sub, None).await?.ok_or(AppError::Unauthorized)?;
    super::store::find_admin(&state.db, claims.sub).await?.ok_or(AppError::Unauthorized)?;
    Ok(PlatformAdmin { admin_id: claims.sub, session_id: claims.sid })
}

/// Ends a platform admin's session.
pub async fn logout(state: &AppState, admin: &PlatformAdmin) -> AppResult<()> {
    auth_store::revoke_session(&state.db, admin.session_id).await?;
    Ok(())
}
