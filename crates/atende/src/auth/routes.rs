//! `/api/v1/auth/*`: login, logout, me, personal API tokens.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use chrono::{DateTime, Utc};
use garde::Validate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::{SESSION_COOKIE, extract::Client, service, store};
use crate::{
    audit::{self, Entry},
    error::{AppError, AppResult},
    http::{Json, Path},
    state::AppState,
    tenancy::{Role, Scope, TenantView},
    users::entity as user,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(login))
        .routes(routes!(logout))
        .routes(routes!(me))
        .routes(routes!(list_tokens, create_token))
        .routes(routes!(revoke_token))
}

/// `POST /auth/login` body.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Workspace slug.
    #[garde(length(min = 1, max = 63))]
    pub workspace: String,
    #[garde(length(min = 3, max = 254))]
    pub email: String,
    #[garde(length(min = 1, max = 200))]
    pub password: String,
}

/// The signed-in user in login and `me` answers.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SessionUser {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub role: Role,
}

/// The tenant in login and `me` answers.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SessionTenant {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
}

/// `POST /auth/login` answer.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginResponse {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: SessionUser,
    pub tenant: SessionTenant,
}

/// `GET /auth/me` answer.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct MeResponse {
    pub user: SessionUser,
    pub tenant: SessionTenant,
}

fn session_user(u: &user::Model) -> SessionUser {
    SessionUser {
        id: u.id,
        name: u.name.clone(),
        email: u.email.clone(),
        role: Role::parse(&u.role).unwrap_or(Role::Agent),
    }
}

fn session_tenant(t: TenantView) -> SessionTenant {
    SessionTenant { id: t.id, slug: t.slug, name: t.name }
}

/// The session cookie: HttpOnly, SameSite=Lax, Secure when served over https.
pub fn session_cookie(state: &AppState, token: String, max_age_secs: i64) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.config.public_url().starts_with("https://"))
        .max_age(time::Duration::seconds(max_age_secs))
        .build()
}

/// Signs in with workspace, email and password; also sets the session cookie.
#[utoipa::path(post, path = "/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, description = "invalid_credentials"),
              (status = 403, description = "tenant_suspended"), (status = 429, description = "rate_limited")))]
pub async fn login(
    State(state): State<AppState>,
    Client(client, ip): Client,
    jar: CookieJar,
    Json(body): Json<LoginRequest>,
) -> AppResult<impl IntoResponse> {
    body.validate()?;
    let account = format!("{}/{}", body.workspace.trim(), body.email.trim());
    state.login_limiter.check(ip, &account)?;
    let outcome = service::login(&state, &body.workspace, &body.email, &body.password, &client)
        .await
        .inspect_err(|e| state.login_limiter.count_outcome(&account, e))?;
    let max_age = (outcome.expires_at - Utc::now()).num_seconds();
    let jar = jar.add(session_cookie(&state, outcome.token.clone(), max_age));
    let response = LoginResponse {
        token: outcome.token,
        expires_at: outcome.expires_at,
        user: session_user(&outcome.user),
        tenant: session_tenant(outcome.tenant.into()),
    };
    Ok((jar, axum::Json(response)))
}

/// Revokes the current session server-side and clears the cookie.
#[utoipa::path(post, path = "/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(State(state): State<AppState>, scope: Scope, jar: CookieJar) -> AppResult<impl IntoResponse> {
    service::logout(&state, &scope).await?;
    // Always send the expiring cookie: bearer-authenticated callers may hold one too.
    let jar = jar.add(session_cookie(&state, String::new(), 0));
    Ok((jar, StatusCode::NO_CONTENT))
}

/// The signed-in user and workspace.
#[utoipa::path(get, path = "/auth/me", tag = "auth", responses((status = 200, body = MeResponse), (status = 401)))]
pub async fn me(State(state): State<AppState>, scope: Scope) -> AppResult<axum::Json<MeResponse>> {
    let (user, tenant) = service::me(&state, &scope).await?;
    Ok(axum::Json(MeResponse { user: session_user(&user), tenant: session_tenant(tenant.into()) }))
}

/// A personal API token as listed (never the secret).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiTokenView {
    pub id: Uuid,
    pub name: String,
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked: bool,
}

impl From<super::entity::api_token::Model> for ApiTokenView {
    fn from(m: super::entity::api_token::Model) -> Self {
        ApiTokenView {
            id: m.id,
            name: m.name,
            prefix: m.token_prefix,
            created_at: m.created_at,
            last_used_at: m.last_used_at,
            expires_at: m.expires_at,
            revoked: m.revoked_at.is_some(),
        }
    }
}

/// `POST /auth/tokens` body.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateTokenRequest {
    #[garde(length(min = 1, max = 120))]
    pub name: String,
    /// Lifetime in days; absent means no expiry.
    #[garde(range(min = 1, max = 3650))]
    pub expires_in_days: Option<u32>,
}

/// `POST /auth/tokens` answer: the secret is shown only here.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedToken {
    pub token: String,
    pub api_token: ApiTokenView,
}

/// `{apiTokens}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TokenList {
    pub api_tokens: Vec<ApiTokenView>,
}

/// The caller's personal API tokens.
#[utoipa::path(get, path = "/auth/tokens", tag = "auth", responses((status = 200, body = TokenList)))]
pub async fn list_tokens(State(state): State<AppState>, scope: Scope) -> AppResult<axum::Json<TokenList>> {
    let rows = store::list_api_tokens(&state.db, &scope).await?;
    Ok(axum::Json(TokenList { api_tokens: rows.into_iter().map(Into::into).collect() }))
}

/// Creates a personal API token for integrations (`Authorization: Bearer atd_…`).
#[utoipa::path(post, path = "/auth/tokens", tag = "auth", request_body = CreateTokenRequest,
    responses((status = 201, body = CreatedToken)))]
pub async fn create_token(
    State(state): State<AppState>,
    scope: Scope,
    Json(body): Json<CreateTokenRequest>,
) -> AppResult<impl IntoResponse> {
    body.validate()?;
    let (token, row) = service::create_api_token(&state, &scope, &body.name, body.expires_in_days).await?;
    Ok((StatusCode::CREATED, axum::Json(CreatedToken { token, api_token: row.into() })))
}

/// Revokes one of the caller's API tokens.
#[utoipa::path(delete, path = "/auth/tokens/{id}", tag = "auth", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 404)))]
pub async fn revoke_token(State(state): State<AppState>, scope: Scope, Path(id): Path<Uuid>) -> AppResult<StatusCode> {
    if store::revoke_api_token(&state.db, &scope, id).await? {
        audit::record(&state.db, &scope, Entry::new("api_token.revoked", "api_token", id)).await?;
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}
