//! What each provider channel needs to work, and how it is checked and resolved.
//!
//! Credentials are write-only JSON objects, sealed with AES-256-GCM at rest. Every
//! field is either the secret itself or `{"env": "VAR_NAME"}`, read from the server's
//! environment when used (so a secret can live in the service manager instead of the
//! database). Non-secret per-type options (Twilio sender number, Messaging Service)
//! live in the channel's `settings` JSON.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{entity, model::ChannelType};
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
    fn validate(&self, field: &str) -> AppResult<()> {
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

/// `WHATSAPP_TWILIO` credentials.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TwilioCredentials {
    /// Auth token: HTTP Basic password and the key of `X-Twilio-Signature`.
    pub auth_token: SecretValue,
}

/// `WHATSAPP_ZAPI` credentials.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ZapiCredentials {
    /// Instance token (a path segment of every Z-API call).
    pub instance_token: SecretValue,
    /// Account security token, sent as `Client-Token`.
    pub client_token: SecretValue,
}

/// `FACEBOOK_MESSENGER` / `INSTAGRAM` credentials.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetaCredentials {
    /// Page access token (Send API, user profile).
    pub page_access_token: SecretValue,
    /// App secret: the key of `X-Hub-Signature-256`.
    pub app_secret: SecretValue,
    /// The string Meta echoes back in the `hub.verify_token` handshake.
    pub verify_token: SecretValue,
}

fn parse_credentials<T: for<'de> Deserialize<'de>>(value: &Value) -> AppResult<T> {
    serde_json::from_value(value.clone()).map_err(|e| AppError::Validation {
        message: format!("credentials: {e}"),
        details: json!({ "credentials": [e.to_string()] }),
    })
}

/// Checks a credentials object for a channel type (the whole object: updates replace it).
pub fn validate(channel_type: ChannelType, credentials: Option<&Value>) -> AppResult<()> {
    let required = |c: Option<&Value>| -> AppResult<Value> {
        match c {
            Some(v @ Value::Object(_)) => Ok(v.clone()),
            Some(_) => Err(AppError::field("credentials", "must be an object")),
            None => Err(AppError::field("credentials", format!("are required for {} channels", channel_type.as_str()))),
        }
    };
    match channel_type {
        ChannelType::Api => Ok(()),
        ChannelType::WhatsappTwilio => {
            let c: TwilioCredentials = parse_credentials(&required(credentials)?)?;
            c.auth_token.validate("authToken")
        }
        ChannelType::WhatsappZapi => {
            let c: ZapiCredentials = parse_credentials(&required(credentials)?)?;
            c.instance_token.validate("instanceToken")?;
            c.client_token.validate("clientToken")
        }
        ChannelType::FacebookMessenger | ChannelType::Instagram => {
            let c: MetaCredentials = parse_credentials(&required(credentials)?)?;
            c.page_access_token.validate("pageAccessToken")?;
            c.app_secret.validate("appSecret")?;
            c.verify_token.validate("verifyToken")
        }
    }
}

/// Checks the external account id for a channel type.
pub fn validate_account_id(channel_type: ChannelType, account_id: Option<&str>) -> AppResult<()> {
    let id = account_id.map(str::trim).unwrap_or_default();
    let (ok, what) = match channel_type {
        ChannelType::Api => return Ok(()),
        ChannelType::WhatsappTwilio => (
            id.len() == 34 && id.starts_with("AC") && id[2..].bytes().all(|b| b.is_ascii_hexdigit()),
            "must be the Twilio Account SID (AC followed by 32 hex characters)",
        ),
        ChannelType::WhatsappZapi => (
            (8..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric()),
            "must be the Z-API instance id",
        ),
        ChannelType::FacebookMessenger => {
            ((5..=30).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit()), "must be the numeric Page id")
        }
        ChannelType::Instagram => (
            (5..=30).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit()),
            "must be the numeric Instagram professional account id",
        ),
    };
    if ok { Ok(()) } else { Err(AppError::field("accountId", what)) }
}

/// `+` and 7 to 15 digits, not starting with 0.
pub fn is_e164(phone: &str) -> bool {
    let Some(digits) = phone.strip_prefix('+') else { return false };
    (7..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0')
}

/// `MG` followed by 32 hex characters.
pub fn is_messaging_service_sid(sid: &str) -> bool {
    sid.len() == 34 && sid.starts_with("MG") && sid[2..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Non-secret options of a Z-API channel (in `settings`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZapiSettings {
    /// Group chats become conversations (with the group as the contact); off by default
    /// because most teams answer people, not groups.
    #[serde(default)]
    pub include_groups: bool,
}

impl ZapiSettings {
    /// The settings of a channel row (defaults when absent or unreadable).
    pub fn of(channel: &entity::Model) -> Self {
        channel.settings.clone().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default()
    }

    /// How this channel's callbacks are read.
    pub fn parse_options(&self) -> providers::zapi::ParseOptions {
        providers::zapi::ParseOptions { include_groups: self.include_groups }
    }
}

/// Non-secret options of a Twilio channel (in `settings`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TwilioSettings {
    /// The WhatsApp sender, `+E164`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Send through a Messaging Service instead of a fixed number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_service_sid: Option<String>,
}

impl TwilioSettings {
    /// The settings of a channel row (defaults when absent or unreadable).
    pub fn of(channel: &entity::Model) -> Self {
        channel.settings.clone().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default()
    }

    /// Checks the sender: a number in E.164 or a Messaging Service SID is required.
    pub fn validate(&self) -> AppResult<()> {
        if let Some(phone) = &self.phone_number
            && !is_e164(phone)
        {
            return Err(AppError::field("phoneNumber", "must be in E.164 form, e.g. +5511987654321"));
        }
        if let Some(sid) = &self.messaging_service_sid
            && !is_messaging_service_sid(sid)
        {
            return Err(AppError::field("messagingServiceSid", "must be MG followed by 32 hex characters"));
        }
        if self.phone_number.is_none() && self.messaging_service_sid.is_none() {
            return Err(AppError::field("phoneNumber", "is required (or give a messagingServiceSid)"));
        }
        Ok(())
    }
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
    fn account_ids_per_type() {
        assert!(validate_account_id(ChannelType::WhatsappTwilio, Some("AC0123456789abcdef0123456789abcdef")).is_ok());
        assert!(validate_account_id(ChannelType::WhatsappTwilio, Some("AC123")).is_err());
        assert!(validate_account_id(ChannelType::WhatsappZapi, Some("3C0FFEE0000000000000000000000001")).is_ok());
        assert!(validate_account_id(ChannelType::WhatsappZapi, Some("../etc")).is_err());
        assert!(validate_account_id(ChannelType::FacebookMessenger, Some("104578912345678")).is_ok());
        assert!(validate_account_id(ChannelType::Instagram, Some("ig-account")).is_err());
        assert!(validate_account_id(ChannelType::Instagram, None).is_err());
        assert!(validate_account_id(ChannelType::Api, None).is_ok());
    }

    #[test]
    fn credentials_accept_values_and_env_references() {
        let ok = json!({"authToken": "0123456789abcdef0123456789abcdef"});
        assert!(validate(ChannelType::WhatsappTwilio, Some(&ok)).is_ok());
        let env = json!({"authToken": {"env": "TWILIO_AUTH_TOKEN"}});
        assert!(validate(ChannelType::WhatsappTwilio, Some(&env)).is_ok());
        let bad_env = json!({"authToken": {"env": "lower case"}});
        assert!(validate(ChannelType::WhatsappTwilio, Some(&bad_env)).is_err());
        assert!(validate(ChannelType::WhatsappTwilio, Some(&json!({"authToken": " "}))).is_err());
        assert!(validate(ChannelType::WhatsappTwilio, None).is_err());
        assert!(validate(ChannelType::WhatsappZapi, Some(&json!({"instanceToken": "a"}))).is_err());
        let meta = json!({"pageAccessToken": "EAAG", "appSecret": "s", "verifyToken": "v"});
        assert!(validate(ChannelType::Instagram, Some(&meta)).is_ok());
        assert!(validate(ChannelType::FacebookMessenger, Some(&json!({"pageAccessToken": "x", "extra": 1}))).is_err());
    }

    #[test]
    fn phones_and_service_sids() {
        assert!(is_e164("+5511987654321"));
        assert!(!is_e164("5511987654321"));
        assert!(!is_e164("+0511987654321"));
        assert!(!is_e164("+55 11 98765"));
        assert!(is_messaging_service_sid("MG0123456789abcdef0123456789abcdef"));
        assert!(!is_messaging_service_sid("MG01"));
    }

    #[test]
    fn env_references_resolve_when_set() {
        let secret = SecretValue::Env { env: "ATENDE_TEST_SURELY_UNSET_VAR".into() };
        assert!(secret.resolve("authToken").unwrap_err().contains("ATENDE_TEST_SURELY_UNSET_VAR"));
        assert_eq!(SecretValue::Plain(" tok ".into()).resolve("x").unwrap(), "tok");
    }
}
