//! `/api/v1/platform/*`: super admin login and tenant management.

use axum::{extract::State, http::StatusCode, response::IntoResponse};
use axum_extra::extract::cookie::CookieJar;
use chrono::{DateTime, Utc};
use garde::Validate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::{
    auth::PlatformAdmin,
    service::{self, NewTenant},
};
use crate::{
    audit::Actor,
    auth::{extract::Client, routes::session_cookie},
    error::AppResult,
    http::{Json, Path},
    state::AppState,
    tenancy::{TenantStatus, TenantView, store as tenant_store},
    users::model::UserView,
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(platform_login))
        .routes(routes!(platform_logout))
        .routes(routes!(list_tenants, create_tenant))
        .routes(routes!(suspend_tenant))
        .routes(routes!(reactivate_tenant))
}

/// `POST /platform/login` body.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlatformLogin {
    #[garde(length(min = 3, max = 254))]
    pub email: String,
    #[garde(length(min = 1, max = 200))]
    pub password: String,
}

/// `POST /platform/login` answer.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PlatformLoginResponse {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub admin: PlatformAdminView,
}

/// A super admin.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PlatformAdminView {
    pub id: Uuid,
    pub email: String,
    pub name: String,
}

/// `POST /platform/tenants` body.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateTenant {
    #[garde(length(min = 2, max = 63))]
    pub slug: String,
    #[garde(length(min = 1, max = 200))]
    pub name: String,
    #[garde(email)]
    pub admin_email: String,
    #[garde(length(min = 8, max = 200))]
    pub admin_password: String,
    #[garde(length(max = 200))]
    pub admin_name: Option<String>,
}

/// `{tenants}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct TenantList {
    pub tenants: Vec<TenantView>,
}

/// `{tenant}`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TenantEnvelope {
    pub tenant: TenantView,
}

/// `{tenant, admin}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedTenant {
    pub tenant: TenantView,
    pub admin: UserView,
}

/// Super admin sign-in.
#[utoipa::path(post, path = "/platform/login", tag = "platform", request_body = PlatformLogin,
    responses((status = 200, body = PlatformLoginResponse), (status = 401), (status = 429)))]
pub async fn platform_login(
    State(state): State<AppState>,
    Client(client, ip): Client,
    jar: CookieJar,
    Json(body): Json<PlatformLogin>,
) -> AppResult<impl IntoResponse> {
    body.validate()?;
    let account = format!("platform/{}", body.email.trim());
    state.login_limiter.check(ip, &account)?;
    let (token, expires_at, admin) = super::auth::login(&state, &body.email, &body.password, &client)
        .await
        .inspect_err(|e| state.login_limiter.count_outcome(&account, e))?;
    let jar = jar.add(session_cookie(&state, token.clone(), (expires_at - Utc::now()).num_seconds()));
    let admin = PlatformAdminView { id: admin.id, email: admin.email, name: admin.name };
    Ok((jar, axum::Json(PlatformLoginResponse { token, expires_at, admin })))
}

/// Ends the super admin session.
#[utoipa::path(post, path = "/platform/logout", tag = "platform", responses((status = 204)))]
pub async fn platform_logout(State(state): State<AppState>, admin: PlatformAdmin) -> AppResult<StatusCode> {
    super::auth::logout(&state, &admin).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every tenant.
#[utoipa::path(get, path = "/platform/tenants", tag = "platform", responses((status = 200, body = TenantList)))]
pub async fn list_tenants(State(state): State<AppState>, _admin: PlatformAdmin) -> AppResult<axum::Json<TenantList>> {
    let tenants = tenant_store::platform_list(&state.db).await?;
    Ok(axum::Json(TenantList { tenants: tenants.into_iter().map(Into::into).collect() }))
}

/// Creates a tenant with its first admin.
#[utoipa::path(post, path = "/platform/tenants", tag = "platform", request_body = CreateTenant,
    responses((status = 201, body = CreatedTenant), (status = 409, description = "slug_taken")))]
pub async fn create_tenant(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Json(body): Json<CreateTenant>,
) -> AppResult<impl IntoResponse> {
    body.validate()?;
    let admin_name = body.admin_name.clone().filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "Admin".into());
    let (tenant, user) = service::create_tenant(
        &state.db,
        Actor::PlatformAdmin(admin.admin_id),
        NewTenant {
            slug: &body.slug,
            name: &body.name,
            admin_email: &body.admin_email,
            admin_password: &body.admin_password,
            admin_name: &admin_name,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(CreatedTenant { tenant: tenant.into(), admin: user.into() })))
}

/// Suspends a tenant: its users cannot sign in and its webhooks are refused.
#[utoipa::path(post, path = "/platform/tenants/{id}/suspend", tag = "platform", params(("id" = Uuid, Path)),
    responses((status = 200, body = TenantEnvelope), (status = 404)))]
pub async fn suspend_tenant(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<TenantEnvelope>> {
    let tenant = service::suspend(&state, Actor::PlatformAdmin(admin.admin_id), id).await?;
    Ok(axum::Json(TenantEnvelope { tenant: tenant.into() }))
}

/// Reactivates a suspended tenant.
#[utoipa::path(post, path = "/platform/tenants/{id}/reactivate", tag = "platform", params(("id" = Uuid, Path)),
    responses((status = 200, body = TenantEnvelope), (status = 404)))]
pub async fn reactivate_tenant(
    State(state): State<AppState>,
    admin: PlatformAdmin,
    Path(id): Path<Uuid>,
) -> AppResult<axum::Json<TenantEnvelope>> {
    let tenant = service::set_status(&state.db, Actor::PlatformAdmin(admin.admin_id), id, TenantStatus::Active).await?;
    Ok(axum::Json(TenantEnvelope { tenant: tenant.into() }))
}
