//! Per-tenant settings: one typed JSON document per tenant, with defaults.

pub mod entity;
pub mod model;
pub mod routes;
pub mod store;

use garde::Validate;
use sea_orm::ConnectionTrait;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use model::AgentVisibility;

use crate::{
    error::{AppError, AppResult},
    tenancy::Scope,
};

/// Everything a tenant can tune. Unknown keys are refused; missing keys take defaults.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct TenantSettings {
    /// IANA time zone used for reports and day boundaries.
    #[garde(length(min = 1, max = 64), custom(valid_time_zone))]
    pub timezone: String,
    /// Default UI language for new users.
    #[garde(custom(valid_locale))]
    pub locale: String,
    /// Minutes without activity before an agent counts as idle.
    #[garde(range(min = 1, max = 240))]
    pub idle_timeout_minutes: u32,
    /// Seconds without heartbeats before the server marks an agent idle.
    #[garde(range(min = 30, max = 3600))]
    pub server_timeout_seconds: u32,
    /// End idle sessions automatically.
    #[garde(skip)]
    pub auto_logout: bool,
    /// Grace minutes after idle before auto-logout.
    #[garde(range(min = 1, max = 240))]
    pub auto_logout_grace_minutes: u32,
    /// A conversation needs a category before it can be resolved.
    #[garde(skip)]
    pub require_category_to_resolve: bool,
    /// Days after a resolution in which a reopening counts against first-contact resolution.
    #[garde(range(min = 1, max = 90))]
    pub fcr_window_days: u32,
    /// Days to keep activity data (heartbeats, presence); 0 keeps everything.
    #[garde(range(min = 0, max = 3650))]
    pub activity_retention_days: u32,
    /// Which conversations agents see: `all`, `teams` (their teams' and unqueued ones)
    /// or `own` (only those assigned to them). Enforced by the API and the socket rooms.
    #[garde(skip)]
    pub agent_visibility: AgentVisibility,
}

fn valid_locale(value: &str, _ctx: &()) -> garde::Result {
    if matches!(value, "pt-BR" | "en") { Ok(()) } else { Err(garde::Error::new("use pt-BR or en")) }
}

fn valid_time_zone(value: &str, _ctx: &()) -> garde::Result {
    // Area/Location shape; the exact list is checked when reports need it.
    let ok = value == "UTC"
        || (value.contains('/') && value.chars().all(|c| c.is_ascii_alphanumeric() || "/_-+".contains(c)));
    if ok { Ok(()) } else { Err(garde::Error::new("not an IANA time zone such as America/Sao_Paulo")) }
}

impl Default for TenantSettings {
    fn default() -> Self {
        TenantSettings {
            timezone: "America/Sao_Paulo".into(),
            locale: "pt-BR".into(),
            idle_timeout_minutes: 10,
            server_timeout_seconds: 90,
            auto_logout: false,
            auto_logout_grace_minutes: 5,
            require_category_to_resolve: false,
            fcr_window_days: 7,
            activity_retention_days: 365,
            agent_visibility: AgentVisibility::All,
        }
    }
}

/// The caller's tenant settings (defaults when never saved).
pub async fn load(db: &impl ConnectionTrait, scope: &Scope) -> AppResult<TenantSettings> {
    let row = store::get(db, scope).await?;
    Ok(match row {
        Some(row) => serde_json::from_value(row.settings).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "stored settings unreadable; using defaults");
            TenantSettings::default()
        }),
        None => TenantSettings::default(),
    })
}

/// Merges a partial JSON object into the current settings, validates, saves.
pub async fn update(
    db: &impl ConnectionTrait,
    scope: &Scope,
    patch: serde_json::Map<String, serde_json::Value>,
) -> AppResult<TenantSettings> {
    let current = load(db, scope).await?;
    let mut merged = match serde_json::to_value(&current) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => serde_json::Map::new(),
    };
    merged.extend(patch);
    let next: TenantSettings = serde_json::from_value(serde_json::Value::Object(merged)).map_err(|e| {
        let message = e.to_string();
        AppError::Validation { message: message.clone(), details: serde_json::json!({ "settings": [message] }) }
    })?;
    next.validate()?;
    let value = serde_json::to_value(&next).map_err(|e| AppError::Internal(e.into()))?;
    store::save(db, scope, value).await?;
    Ok(next)
}

/// Changes settings (admins) and, when which conversations agents see changed, tells
/// the fan-out and the clients in the same transaction.
pub async fn change(
    state: &crate::state::AppState,
    scope: &Scope,
    patch: serde_json::Map<String, serde_json::Value>,
) -> AppResult<TenantSettings> {
    let txn = crate::db::begin_write(&state.db).await?;
    let before = load(&txn, scope).await?.agent_visibility;
    let next = update(&txn, scope, patch).await?;
    if next.agent_visibility != before {
        let event =
            crate::events::AgentVisibilityChanged { tenant_id: scope.tenant_id, visibility: next.agent_visibility };
        crate::events::record(&txn, vec![event.into()]).await?;
    }
    crate::events::commit(txn, &state.events).await?;
    Ok(next)
}
