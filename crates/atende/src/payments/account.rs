//! The tenant's Asaas account: settings (sealed API key, webhook URL key and token),
//! the Asaas host, the client built from them, and re-sealing under a new master key.

use providers::asaas::{AsaasClient, AsaasConfig, PRODUCTION_BASE_URL, SANDBOX_BASE_URL};
use rand::RngCore;
use serde_json::json;

use super::{
    entity::{charge, settings},
    model::{AsaasConnection, AsaasSettingsView, Environment, TestAsaasConnection, UpdateAsaasSettings},
    store::{self, SettingsWrite},
};
use crate::{
    audit::{self, Entry},
    error::{AppError, AppResult},
    state::AppState,
    tenancy::{Role, Scope},
};

/// `User-Agent` sent to Asaas (mandatory for accounts created since 2024-06-13).
pub const USER_AGENT: &str = concat!("Atende/", env!("CARGO_PKG_VERSION"));

/// The Asaas host (the client appends `/v3`): `ATENDE_ASAAS_BASE_URL` when set (with or
/// without a trailing `/v3`), else the environment's.
pub fn base_url(state: &AppState, environment: Environment) -> String {
    if let Some(custom) = state.config.asaas_base_url.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
        let custom = custom.trim_end_matches('/');
        return custom.strip_suffix("/v3").unwrap_or(custom).to_string();
    }
    match environment {
        Environment::Sandbox => SANDBOX_BASE_URL.to_string(),
        Environment::Production => PRODUCTION_BASE_URL.to_string(),
    }
}

/// The tenant's absolute webhook URL.
pub fn webhook_url(state: &AppState, webhook_key: &str) -> String {
    format!("{}/webhooks/asaas/{webhook_key}", state.config.public_url())
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

fn view_of(state: &AppState, row: Option<&settings::Model>) -> AppResult<AsaasSettingsView> {
    let environment = row.and_then(|r| Environment::parse(&r.environment)).unwrap_or_default();
    let webhook_token = match row {
        Some(r) => Some(open_secret(state, &r.webhook_token_sealed)?),
        None => None,
    };
    Ok(AsaasSettingsView {
        configured: row.is_some_and(|r| r.api_key_sealed.is_some()),
        environment,
        has_api_key: row.is_some_and(|r| r.api_key_sealed.is_some()),
        api_base_url: format!("{}/v3", base_url(state, environment)),
        webhook_url: row.map(|r| webhook_url(state, &r.webhook_key)),
        webhook_token,
        updated_at: row.map(|r| r.updated_at),
    })
}

fn seal(state: &AppState, secret: &str) -> AppResult<String> {
    Ok(state.master_key.credentials_cipher().encrypt(secret.as_bytes())?)
}

fn open_secret(state: &AppState, sealed: &str) -> AppResult<String> {
    let bytes = state.master_key.credentials_cipher().decrypt(sealed)?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(e.into()))
}

fn visible_ascii(field: &str, value: &str) -> AppResult<()> {
    if value.bytes().all(|b| b.is_ascii_graphic()) {
        Ok(())
    } else {
        Err(AppError::field(field, "must not contain spaces or control characters"))
    }
}

/// Asaas keys start with `$aact_` (then `prod_`/`hmlg_` and the token): anything else
/// is a copy-paste mistake, refused before it turns the badge "configured".
fn check_key_format(key: &str) -> AppResult<()> {
    if key.is_empty() {
        return Err(AppError::field("apiKey", "must not be empty"));
    }
    visible_ascii("apiKey", key)?;
    if !key.starts_with("$aact_") || key.len() < 12 {
        return Err(AppError::unprocessable(
            "invalid_asaas_key",
            "apiKey",
            "an Asaas API key starts with $aact_ (Asaas: Integrações → Chaves de API)",
        ));
    }
    Ok(())
}

/// The tenant's Asaas settings (admins).
pub async fn settings(state: &AppState, scope: &Scope) -> AppResult<AsaasSettingsView> {
    scope.require(Role::Admin)?;
    let row = store::settings_get(&state.db, scope).await?;
    view_of(state, row.as_ref())
}

/// Saves the tenant's Asaas settings (admins). Absent fields keep their value; the
/// webhook token and URL key are generated on first save.
pub async fn update_settings(
    state: &AppState,
    scope: &Scope,
    input: UpdateAsaasSettings,
) -> AppResult<AsaasSettingsView> {
    scope.require(Role::Admin)?;
    let api_key = input.api_key.as_deref().map(str::trim);
    if let Some(key) = api_key {
        check_key_format(key)?;
    }
    if let Some(token) = input.webhook_token.as_deref() {
        visible_ascii("webhookToken", token)?;
    }
    let current = store::settings_get(&state.db, scope).await?;
    let environment = input
        .environment
        .or_else(|| current.as_ref().and_then(|c| Environment::parse(&c.environment)))
        .unwrap_or_default();
    let api_key_sealed = match api_key {
        Some(key) => Some(seal(state, key)?),
        None => current.as_ref().and_then(|c| c.api_key_sealed.clone()),
    };
    let webhook_token_sealed = match (&input.webhook_token, &current) {
        (Some(token), _) => seal(state, token)?,
        (None, Some(c)) if !input.regenerate_webhook_token => c.webhook_token_sealed.clone(),
        _ => seal(state, &format!("whsec_{}", random_hex(24)))?,
    };
    let webhook_key = current.as_ref().map(|c| c.webhook_key.clone()).unwrap_or_else(|| random_hex(32));
    let saved = store::settings_save(
        &state.db,
        scope,
        SettingsWrite { environment: environment.as_str().into(), api_key_sealed, webhook_token_sealed, webhook_key },
    )
    .await?;
    let fields: Vec<&str> = [
        input.environment.map(|_| "environment"),
        api_key.map(|_| "apiKey"),
        input.webhook_token.as_ref().map(|_| "webhookToken"),
        input.regenerate_webhook_token.then_some("regenerateWebhookToken"),
    ]
    .into_iter()
    .flatten()
    .collect();
    audit::record(
        &state.db,
        scope,
        Entry::new("asaas.settings_updated", "tenant", scope.tenant_id)
            .details(json!({ "fields": fields, "environment": environment.as_str() })),
    )
    .await?;
    view_of(state, Some(&saved))
}

/// The webhook token of a tenant's settings, in clear (for the webhook check).
pub fn webhook_token(state: &AppState, row: &settings::Model) -> AppResult<String> {
    open_secret(state, &row.webhook_token_sealed)
}

pub(super) fn not_configured() -> AppError {
    AppError::conflict(
        "asaas_not_configured",
        "Asaas is not configured for this workspace: an admin must save an API key in the Asaas settings",
    )
}

/// An Asaas client for the caller's tenant and its environment.
pub(super) async fn client_for(state: &AppState, scope: &Scope) -> AppResult<(AsaasClient, Environment)> {
    let row = store::settings_get(&state.db, scope).await?.ok_or_else(not_configured)?;
    let sealed = row.api_key_sealed.as_deref().ok_or_else(not_configured)?;
    let environment = Environment::parse(&row.environment).unwrap_or_default();
    Ok((client_with(state, environment, open_secret(state, sealed)?)?, environment))
}

fn client_with(state: &AppState, environment: Environment, api_key: String) -> AppResult<AsaasClient> {
    AsaasClient::new(
        state.http.clone(),
        AsaasConfig { base_url: base_url(state, environment), api_key, user_agent: USER_AGENT.into() },
    )
    .map_err(|e| AppError::Internal(anyhow::anyhow!("Asaas client: {e}")))
}

/// "Testar conexão" (admins): one authenticated call to Asaas with the given key (or
/// the saved one) in the given environment (or the saved one); answers who the key
/// belongs to, or Asaas' refusal as the charge calls report it.
pub async fn test_connection(
    state: &AppState,
    scope: &Scope,
    input: TestAsaasConnection,
) -> AppResult<AsaasConnection> {
    scope.require(Role::Admin)?;
    let saved = store::settings_get(&state.db, scope).await?;
    let environment = input
        .environment
        .or_else(|| saved.as_ref().and_then(|s| Environment::parse(&s.environment)))
        .unwrap_or_default();
    let api_key = match input.api_key.as_deref().map(str::trim) {
        Some(key) => {
            check_key_format(key)?;
            key.to_string()
        }
        None => {
            let sealed = saved.as_ref().and_then(|s| s.api_key_sealed.as_deref()).ok_or_else(not_configured)?;
            open_secret(state, sealed)?
        }
    };
    let info = client_with(state, environment, api_key)?.commercial_info().await.map_err(super::errors::asaas_error)?;
    let account_name = info.company_name.filter(|n| !n.trim().is_empty()).or(info.name);
    Ok(AsaasConnection { environment, account_name, email: info.email, status: info.status })
}

pub(super) fn same_environment(charge: &charge::Model, environment: Environment) -> AppResult<()> {
    if charge.environment == environment.as_str() {
        Ok(())
    } else {
        Err(AppError::conflict(
            "asaas_environment_changed",
            format!(
                "This charge belongs to the Asaas {} environment; the workspace now uses {}",
                charge.environment,
                environment.as_str()
            ),
        ))
    }
}

/// Re-seals every tenant's Asaas API key and webhook token under a new master key
/// (`atende secrets rotate`); returns how many tenants had settings.
pub async fn reseal_all(
    db: &impl sea_orm::ConnectionTrait,
    old: &crate::crypto::CredentialCipher,
    new: &crate::crypto::CredentialCipher,
) -> anyhow::Result<usize> {
    use anyhow::Context;
    let rows = store::platform_all_sealed_settings(db).await?;
    for row in &rows {
        let reseal = |sealed: &str| -> anyhow::Result<String> {
            let clear = old.decrypt(sealed).with_context(|| {
                format!("Asaas settings of tenant {}: cannot open with the current key", row.tenant_id)
            })?;
            new.encrypt(&clear)
        };
        let api_key = row.api_key_sealed.as_deref().map(reseal).transpose()?;
        store::platform_reseal_settings(db, row.tenant_id, api_key, reseal(&row.webhook_token_sealed)?).await?;
    }
    Ok(rows.len())
}
