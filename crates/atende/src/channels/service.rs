//! Channel rules: who may configure them, sealing secrets, building views.

use rand::RngCore;
use serde_json::json;
use uuid::Uuid;

use super::{
    entity,
    model::{ChannelType, ChannelView, CreateChannel, UpdateChannel},
    store::{self, NewChannel},
};
use crate::{
    app::AppState,
    audit::{self, Entry},
    error::{AppError, AppResult},
    tenancy::{Role, Scope},
};
use sea_orm::Set;

/// The view of a channel, with its absolute webhook URL.
pub fn view(state: &AppState, m: &entity::Model) -> ChannelView {
    let channel_type = ChannelType::parse(&m.channel_type).unwrap_or(ChannelType::Api);
    ChannelView {
        id: m.id,
        channel_type,
        name: m.name.clone(),
        account_id: m.account_id.clone(),
        webhook_url: format!("{}/webhooks/{}/{}", state.config.public_url(), channel_type.webhook_segment(), m.id),
        callback_url: m.callback_url.clone(),
        enabled: m.enabled,
        connection_status: m.connection_status.clone(),
        has_credentials: m.credentials_sealed.is_some(),
        created_at: m.created_at,
    }
}

fn validate_callback_url(url: Option<&str>) -> AppResult<()> {
    if let Some(url) = url {
        let parsed = url::Url::parse(url).map_err(|_| AppError::field("callbackUrl", "is not a URL"))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
            return Err(AppError::field("callbackUrl", "must be an http(s) URL"));
        }
    }
    Ok(())
}

fn seal_credentials(state: &AppState, credentials: Option<&serde_json::Value>) -> AppResult<Option<String>> {
    match credentials {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(value @ serde_json::Value::Object(_)) => {
            let bytes = serde_json::to_vec(value).map_err(|e| AppError::Internal(e.into()))?;
            Ok(Some(state.master_key.credentials_cipher().encrypt(&bytes)?))
        }
        Some(_) => Err(AppError::field("credentials", "must be an object")),
    }
}

/// Creates a channel (admins). Returns the webhook secret once.
pub async fn create(state: &AppState, scope: &Scope, input: CreateChannel) -> AppResult<(entity::Model, String)> {
    scope.require(Role::Admin)?;
    if input.channel_type != ChannelType::Api {
        return Err(AppError::Validation {
            message: format!("{} channels are not available yet", input.channel_type.as_str()),
            details: json!({ "type": ["not available yet"] }),
        });
    }
    if input.callback_url.is_none() {
        return Err(AppError::field("callbackUrl", "is required for API channels"));
    }
    validate_callback_url(input.callback_url.as_deref())?;
    let mut secret_bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut secret_bytes);
    let secret = hex::encode(secret_bytes);
    let cipher = state.master_key.credentials_cipher();
    let channel = store::insert(
        &state.db,
        scope,
        NewChannel {
            channel_type: input.channel_type.as_str().to_string(),
            name: input.name.trim().to_string(),
            account_id: input.account_id,
            credentials_sealed: seal_credentials(state, input.credentials.as_ref())?,
            webhook_secret_sealed: cipher.encrypt(secret.as_bytes())?,
            callback_url: input.callback_url,
        },
    )
    .await?;
    audit::record(
        &state.db,
        scope,
        Entry::new("channel.created", "channel", channel.id).details(json!({"type": channel.channel_type})),
    )
    .await?;
    Ok((channel, secret))
}

/// A channel of the caller's tenant.
pub async fn get(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<entity::Model> {
    store::get(&state.db, scope, id).await?.ok_or(AppError::NotFound)
}

/// Changes a channel (admins).
pub async fn update(state: &AppState, scope: &Scope, id: Uuid, patch: UpdateChannel) -> AppResult<entity::Model> {
    scope.require(Role::Admin)?;
    let current = get(state, scope, id).await?;
    validate_callback_url(patch.callback_url.as_deref())?;
    let credentials = match &patch.credentials {
        Some(value) => Some(seal_credentials(state, Some(value))?),
        None => None,
    };
    let fields: Vec<&str> = [
        patch.name.as_ref().map(|_| "name"),
        patch.account_id.as_ref().map(|_| "accountId"),
        patch.callback_url.as_ref().map(|_| "callbackUrl"),
        patch.enabled.map(|_| "enabled"),
        patch.credentials.as_ref().map(|_| "credentials"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let updated = store::update(&state.db, scope, current, |active| {
        if let Some(name) = patch.name {
            active.name = Set(name.trim().to_string());
        }
        if let Some(account_id) = patch.account_id {
            active.account_id = Set(Some(account_id));
        }
        if let Some(url) = patch.callback_url {
            active.callback_url = Set(Some(url));
        }
        if let Some(enabled) = patch.enabled {
            active.enabled = Set(enabled);
        }
        if let Some(sealed) = credentials {
            active.credentials_sealed = Set(sealed);
        }
    })
    .await?;
    audit::record(&state.db, scope, Entry::new("channel.updated", "channel", id).details(json!({ "fields": fields })))
        .await?;
    Ok(updated)
}

/// Disables a channel; its history stays (admins).
pub async fn disable(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<entity::Model> {
    scope.require(Role::Admin)?;
    let current = get(state, scope, id).await?;
    let updated = store::update(&state.db, scope, current, |active| active.enabled = Set(false)).await?;
    audit::record(&state.db, scope, Entry::new("channel.disabled", "channel", id)).await?;
    Ok(updated)
}

/// The channel's webhook secret in clear, for signing and verifying.
pub fn webhook_secret(state: &AppState, channel: &entity::Model) -> AppResult<Vec<u8>> {
    Ok(state.master_key.credentials_cipher().decrypt(&channel.webhook_secret_sealed)?)
}
