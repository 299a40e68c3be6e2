//! `/api/v1/settings`.

use axum::extract::State;
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::TenantSettings;
use crate::{
    audit::{self, Entry},
    error::AppResult,
    http::Json,
    state::AppState,
    tenancy::{Role, Scope},
};

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_settings, update_settings))
}

/// `{settings}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SettingsEnvelope {
    pub settings: TenantSettings,
}

/// The workspace settings (managers and admins).
#[utoipa::path(get, path = "/settings", tag = "settings", responses((status = 200, body = SettingsEnvelope)))]
pub async fn get_settings(State(state): State<AppState>, scope: Scope) -> AppResult<axum::Json<SettingsEnvelope>> {
    scope.require(Role::Manager)?;
    Ok(axum::Json(SettingsEnvelope { settings: super::load(&state.db, &scope).await? }))
}

/// Changes some settings (admins): the body holds only the keys to change.
#[utoipa::path(put, path = "/settings", tag = "settings", request_body = TenantSettings,
    responses((status = 200, body = SettingsEnvelope), (status = 403), (status = 422)))]
pub async fn update_settings(
    State(state): State<AppState>,
    scope: Scope,
    Json(patch): Json<serde_json::Map<String, serde_json::Value>>,
) -> AppResult<axum::Json<SettingsEnvelope>> {
    scope.require(Role::Admin)?;
    let keys: Vec<String> = patch.keys().cloned().collect();
    let settings = super::change(&state, &scope, patch).await?;
    audit::record(
        &state.db,
        &scope,
        Entry::new("settings.updated", "tenant", scope.tenant_id).details(json!({ "keys": keys })),
    )
    .await?;
    Ok(axum::Json(SettingsEnvelope { settings }))
}
