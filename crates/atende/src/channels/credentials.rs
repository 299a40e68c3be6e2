//! Sealed provider credentials: how they are stored, resolved and re-sealed. What each
//! type's credentials contain, and how they are checked, is its adapter's
//! (`adapters::<provider>::Credentials`).
//!
//! Credentials are write-only JSON objects, sealed with AES-256-GCM at rest. Every
//! field is either the secret itself or `{"env": "VAR_NAME"}`, read from the server's
//! environment when used (so a secret can live in the service manager instead of the
//! database). Non-secret per-type options (Twilio sender number, Messaging Service)
//! live in the channel's `settings` JSON.

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

    /// The secret in clear; an `{"env"}` reference is read now.
    pub fn resolve(&self, field: &str) -> Result<String, String> {
        match self {
            SecretValue::Plain(s) => Ok(s.trim().to_string()),
            SecretValue::Env { env } => match std::env::var(env) {
                Ok(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
                _ => Err(format!("credential `{field}` reads environment variable {env}, which is not set")),
            },
        }
    }
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
                let clear = secret.resolve(field).map_err(AppError::Unavailable)?;
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
    fn env_references_resolve_when_set() {
        let secret = SecretValue::Env { env: "ATENDE_TEST_SURELY_UNSET_VAR".into() };
        assert!(secret.resolve("authToken").unwrap_err().contains("ATENDE_TEST_SURELY_UNSET_VAR"));
        assert_eq!(SecretValue::Plain(" tok ".into()).resolve("x").unwrap(), "tok");
    }
}
