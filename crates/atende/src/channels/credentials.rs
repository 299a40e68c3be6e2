//! Sealed provider credentials: how they are stored, resolved and re-sealed. What each
//! type's credentials contain, and how they are checked, is its adapter's
//! (`adapters::<provider>::Credentials`).
//!
//! Credentials are write-only JSON objects, sealed with AES-256-GCM at rest. Every
//! field is the secret itself; an operator (never a tenant's API call) may instead
//! store `{"env": "VAR_NAME"}`, read from the server's environment when used, so a
//! secret can live in the service manager. Only names with the operator's prefix
//! (`ATENDE_CHANNEL_ENV_PREFIX`, default `ATENDE_CHANNEL_`) resolve: the master key and
//! the operator's own provider secrets are never reachable through a channel.
//! Non-secret per-type options (Twilio sender number, Messaging Service) live in the
//! channel's `settings` JSON.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::entity;
use crate::{
    error::{AppError, AppResult},
    state::AppState,
};

/// A credential field: the value, or the name of an environment variable holding it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum SecretValue {
    /// The secret as given.
    Plain(String),
    /// `{"env": "VAR_NAME"}`.
    Env {
        /// Name of the environment variable.
        env: String,
    },
}

impl SecretValue {
    /// Checks the value as given (not empty, a well-formed variable name).
    pub fn validate(&self, field: &str) -> AppResult<()> {
        match self {
            SecretValue::Plain(s) if s.trim().is_empty() => Err(credential_error(field, "must not be empty")),
            SecretValue::Plain(s) if s.len() > 2000 => Err(credential_error(field, "is too long")),
            SecretValue::Plain(_) => Ok(()),
            SecretValue::Env { env } => {
                let ok = !env.is_empty()
                    && env.len() <= 100
                    && env.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
                    && !env.as_bytes()[0].is_ascii_digit();
                if ok { Ok(()) } else { Err(credential_error(field, "env must be a variable name like MY_TOKEN")) }
            }
        }
    }

    /// The secret in clear; an `{"env"}` reference is read now, only when its name has
    /// the allowed `prefix` (an empty prefix allows none). The error is the same whether
    /// the variable is outside the allow-list, unset or empty: it tells nothing about
    /// the server's environment.
    pub fn resolve(&self, field: &str, prefix: &str) -> Result<String, String> {
        match self {
            SecretValue::Plain(s) => Ok(s.trim().to_string()),
            SecretValue::Env { env } => {
                let allowed = !prefix.is_empty() && env.starts_with(prefix) && env.len() > prefix.len();
                match std::env::var(env) {
                    Ok(v) if allowed && !v.trim().is_empty() => Ok(v.trim().to_string()),
                    _ => Err(format!("credential `{field}` is not available on this server")),
                }
            }
        }
    }

    /// Whether this is an environment reference.
    pub fn is_env(&self) -> bool {
        matches!(self, SecretValue::Env { .. })
    }
}

/// Refuses `{"env": …}` fields in credentials given through the tenant API: only the
/// platform operator may point a channel at the server's environment.
pub fn refuse_env_references(credentials: Option<&Value>) -> AppResult<()> {
    let Some(Value::Object(map)) = credentials else { return Ok(()) };
    for (field, value) in map {
        if value.as_object().is_some_and(|o| o.contains_key("env")) {
            return Err(AppError::unprocessable(
                "credential_env_not_allowed",
                &format!("credentials.{field}"),
                "environment references are set by the platform operator; give the secret itself",
            ));
        }
    }
    Ok(())
}

fn credential_error(field: &str, message: &str) -> AppError {
    AppError::field(&format!("credentials.{field}"), message)
}

/// Decrypts a channel's credentials and resolves `{"env"}` fields to their values.
/// The result is held in memory only for the call that needs it.
pub fn resolve(state: &AppState, channel: &entity::Model) -> AppResult<Option<Value>> {
    let Some(sealed) = &channel.credentials_sealed else { return Ok(None) };
    let bytes = state.master_key.credentials_cipher().decrypt(sealed)?;
    let mut value: Value = serde_json::from_slice(&bytes).map_err(|e| AppError::Internal(e.into()))?;
    if let Value::Object(map) = &mut value {
        for (field, v) in map.iter_mut() {
            if let Ok(secret @ SecretValue::Env { .. }) = serde_json::from_value::<SecretValue>(v.clone()) {
                let clear = secret.resolve(field, &state.config.channel_env_prefix).map_err(AppError::Unavailable)?;
                *v = Value::String(clear);
            }
        }
    }
    Ok(Some(value))
}

/// Re-seals every channel's credentials and webhook secret from one cipher to another
/// (master key rotation); returns how many channels changed. Run it in a transaction:
/// a value that does not open with `old` stops everything.
pub async fn reseal_all(
    db: &impl sea_orm::ConnectionTrait,
    old: &crate::crypto::CredentialCipher,
    new: &crate::crypto::CredentialCipher,
) -> anyhow::Result<usize> {
    use anyhow::Context;
    let rows = super::store::platform_all_sealed(db).await?;
    for (id, credentials, secret) in &rows {
        let reseal = |sealed: &str| -> anyhow::Result<String> {
            let clear =
                old.decrypt(sealed).with_context(|| format!("channel {id}: cannot open with the current key"))?;
            new.encrypt(&clear)
        };
        let credentials = credentials.as_deref().map(reseal).transpose()?;
        super::store::platform_reseal(db, *id, credentials, reseal(secret)?).await?;
    }
    Ok(rows.len())
}

/// Operator-only (CLI): makes one credential field of a channel read an environment
/// variable. The name must carry the configured prefix.
pub async fn platform_set_env_reference(
    state: &AppState,
    channel_id: uuid::Uuid,
    field: &str,
    env: &str,
) -> anyhow::Result<()> {
    use anyhow::{Context, bail};
    let reference = SecretValue::Env { env: env.to_string() };
    reference.validate(field).map_err(|e| anyhow::anyhow!("{e}"))?;
    let prefix = &state.config.channel_env_prefix;
    if prefix.is_empty() || !env.starts_with(prefix.as_str()) || env.len() == prefix.len() {
        bail!("the variable name must start with `{prefix}` (ATENDE_CHANNEL_ENV_PREFIX)");
    }
    let channel = super::store::platform_find(&state.db, channel_id).await?.context("no such channel")?;
    let cipher = state.master_key.credentials_cipher();
    let mut value: Value = match &channel.credentials_sealed {
        Some(sealed) => serde_json::from_slice(&cipher.decrypt(sealed).map_err(|e| anyhow::anyhow!("{e}"))?)?,
        None => Value::Object(Default::default()),
    };
    let Value::Object(map) = &mut value else { bail!("the channel's credentials are not an object") };
    map.insert(field.to_string(), serde_json::to_value(&reference)?);
    let sealed = cipher.encrypt(&serde_json::to_vec(&value)?)?;
    super::store::platform_reseal(&state.db, channel.id, Some(sealed), channel.webhook_secret_sealed.clone()).await?;
    Ok(())
}

/// The typed credentials of a resolved credentials object.
pub fn typed<T: for<'de> Deserialize<'de>>(resolved: Option<&Value>) -> Result<T, String> {
    let value = resolved.ok_or_else(|| "the channel has no credentials".to_string())?;
    serde_json::from_value(value.clone()).map_err(|e| format!("the channel's credentials are incomplete: {e}"))
}

/// Plain strings of resolved credentials (every field is a string after `resolve`).
pub fn field<'a>(resolved: &'a Value, name: &str) -> Option<&'a str> {
    resolved.get(name).and_then(Value::as_str).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_prefixed_env_references_resolve_and_the_error_says_nothing_of_the_environment() {
        // PATH is set on every machine; HOME too. Neither may be read through a channel.
        let path = SecretValue::Env { env: "PATH".into() };
        let unset = SecretValue::Env { env: "ATENDE_CHANNEL_SURELY_UNSET_VAR".into() };
        let set_err = path.resolve("authToken", "ATENDE_CHANNEL_").unwrap_err();
        let unset_err = unset.resolve("authToken", "ATENDE_CHANNEL_").unwrap_err();
        assert_eq!(set_err, unset_err, "existing and missing variables answer alike");
        assert!(!set_err.contains("PATH") && !unset_err.contains("SURELY_UNSET"));
        assert!(path.resolve("authToken", "").is_err(), "an empty prefix allows nothing");
        assert!(path.resolve("authToken", "P").is_ok(), "a prefix that matches allows it");
        let bare = SecretValue::Env { env: "ATENDE_CHANNEL_".into() };
        assert!(bare.resolve("x", "ATENDE_CHANNEL_").is_err());
        assert_eq!(SecretValue::Plain(" tok ".into()).resolve("x", "ATENDE_CHANNEL_").unwrap(), "tok");
    }

    #[test]
    fn env_references_are_refused_from_the_tenant_api() {
        let env = serde_json::json!({"authToken": {"env": "ATENDE_CHANNEL_TWILIO"}});
        let err = refuse_env_references(Some(&env)).unwrap_err();
        assert!(matches!(err, AppError::Unprocessable { code: "credential_env_not_allowed", .. }));
        assert!(refuse_env_references(Some(&serde_json::json!({"authToken": "x"}))).is_ok());
        assert!(refuse_env_references(None).is_ok());
    }
}
