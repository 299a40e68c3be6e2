//! Channel rules: who may configure them, sealing secrets, building views.

use rand::RngCore;
use serde_json::json;
use uuid::Uuid;

use super::{
    adapters::{self, SettingsPatch},
    entity,
    model::{ChannelStatusView, ChannelType, ChannelView, CreateChannel, UpdateChannel},
    store::{self, NewChannel},
};
use crate::{
    audit::{self, Entry},
    error::{AppError, AppResult},
    events::{self, ChannelStatusChanged},
    state::AppState,
    tenancy::{Role, Scope},
};
use sea_orm::Set;

/// The view of a channel, with its absolute webhook URL. Z-API's URL carries the
/// webhook secret, shown only at creation: here it is the `{webhookSecret}` template.
pub fn view(state: &AppState, m: &entity::Model) -> ChannelView {
    view_with_secret(state, m, None)
}

/// The view a caller may see: agents get the channel's name, type and health only,
/// never its configuration (account ids, numbers, webhook and callback URLs).
pub fn view_for(state: &AppState, scope: &Scope, m: &entity::Model) -> ChannelView {
    let mut view = view(state, m);
    if !scope.is_at_least(Role::Manager) {
        view.account_id = None;
        view.callback_url = None;
        view.webhook_url = String::new();
        view.phone_number = None;
        view.messaging_service_sid = None;
        view.include_groups = None;
    }
    view
}

/// The view, with the real Z-API webhook URL when the secret is given (creation).
pub fn view_with_secret(state: &AppState, m: &entity::Model, secret: Option<&str>) -> ChannelView {
    let channel_type = ChannelType::parse(&m.channel_type).unwrap_or(ChannelType::Api);
    let webhook_url = format!("{}/webhooks/{}/{}", state.config.public_url(), channel_type.webhook_segment(), m.id);
    let mut view = ChannelView {
        id: m.id,
        channel_type,
        name: m.name.clone(),
        account_id: m.account_id.clone(),
        webhook_url,
        callback_url: m.callback_url.clone(),
        enabled: m.enabled,
        connection_status: m.connection_status.clone(),
        has_credentials: m.credentials_sealed.is_some(),
        phone_number: None,
        messaging_service_sid: None,
        include_groups: None,
        created_at: m.created_at,
    };
    adapters::of_type(state, channel_type).describe(m, secret, &mut view);
    view
}

/// An http(s) URL whose host resolves to public addresses only (unless the operator
/// allows private ones): the server will POST to it.
async fn validate_callback_url(state: &AppState, url: Option<&str>) -> AppResult<()> {
    use crate::security::outbound;
    if let Some(url) = url {
        match outbound::check_url(url, state.config.outbound_allow_private).await {
            Ok(()) => {}
            Err(outbound::REFUSED) => {
                return Err(AppError::unprocessable("callback_url_not_allowed", "callbackUrl", outbound::REFUSED));
            }
            Err(reason) => return Err(AppError::field("callbackUrl", reason)),
        }
    }
    Ok(())
}

/// The Meta types, whose account ids route the shared `/webhooks/meta`.
const META_TYPES: [&str; 2] = [ChannelType::FacebookMessenger.as_str(), ChannelType::Instagram.as_str()];

fn account_in_use() -> AppError {
    AppError::conflict(
        "account_id_in_use",
        "This Page or Instagram account is already connected to another channel; disable that one first",
    )
}

/// A Page / Instagram account id belongs to at most one enabled channel platform-wide.
async fn ensure_account_free(state: &AppState, account_id: &str, except: Option<Uuid>) -> AppResult<()> {
    if store::platform_account_in_use(&state.db, &META_TYPES, account_id.trim(), except).await? {
        return Err(account_in_use());
    }
    Ok(())
}

/// Two requests racing past `ensure_account_free` meet the unique index: same answer.
fn map_account_conflict(channel_type: ChannelType) -> impl FnOnce(sea_orm::DbErr) -> AppError {
    move |e| {
        if channel_type.is_meta() && matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) {
            account_in_use()
        } else {
            e.into()
        }
    }
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

/// Creates a channel (admins), after checking what its type needs (account id,
/// sender, credentials). Returns the webhook secret once.
pub async fn create(state: &AppState, scope: &Scope, input: CreateChannel) -> AppResult<(entity::Model, String)> {
    scope.require(Role::Admin)?;
    let channel_type = input.channel_type;
    if channel_type == ChannelType::Api {
        if input.callback_url.is_none() {
            return Err(AppError::field("callbackUrl", "is required for API channels"));
        }
        validate_callback_url(state, input.callback_url.as_deref()).await?;
    } else if input.callback_url.is_some() {
        return Err(AppError::field("callbackUrl", "is only used by API channels"));
    }
    let adapter = adapters::of_type(state, channel_type);
    adapter.validate_account_id(input.account_id.as_deref())?;
    if channel_type.is_meta()
        && let Some(account_id) = input.account_id.as_deref()
    {
        ensure_account_free(state, account_id, None).await?;
    }
    super::credentials::refuse_env_references(input.credentials.as_ref())?;
    adapter.validate_credentials(input.credentials.as_ref())?;
    let patch = SettingsPatch {
        phone_number: input.phone_number,
        messaging_service_sid: input.messaging_service_sid,
        include_groups: input.include_groups,
    };
    let settings = adapter.settings(None, &patch)?;
    let mut secret_bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut secret_bytes);
    let secret = hex::encode(secret_bytes);
    let cipher = state.master_key.credentials_cipher();
    let channel = store::insert(
        &state.db,
        scope,
        NewChannel {
            channel_type: channel_type.as_str().to_string(),
            name: input.name.trim().to_string(),
            account_id: input.account_id.map(|a| a.trim().to_string()),
            credentials_sealed: seal_credentials(state, input.credentials.as_ref())?,
            webhook_secret_sealed: cipher.encrypt(secret.as_bytes())?,
            callback_url: input.callback_url,
            settings,
            connection_status: adapter.initial_connection_status().into(),
        },
    )
    .await
    .map_err(map_account_conflict(channel_type))?;
    audit::record(
        &state.db,
        scope,
        Entry::new("channel.created", "channel", channel.id).details(json!({"type": channel.channel_type})),
    )
    .await?;
    let channel = if adapter.pairs_by_qr() {
        register_zapi_webhooks(state, &channel).await?;
        // Learn the instance's real state in the background (it may already be paired).
        super::connection::start_watch(state, &channel, 1).await?
    } else {
        channel
    };
    Ok((channel, secret))
}

/// Queues pointing the Z-API instance's webhooks at this channel (no pasting needed).
async fn register_zapi_webhooks(state: &AppState, channel: &entity::Model) -> AppResult<()> {
    crate::jobs::enqueue(
        &state.db,
        Some(channel.tenant_id),
        &crate::jobs::JobPayload::RegisterZapiWebhooks { channel_id: channel.id },
        None,
    )
    .await?;
    state.job_notify.notify_one();
    Ok(())
}

/// A channel of the caller's tenant.
pub async fn get(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<entity::Model> {
    store::get(&state.db, scope, id).await?.ok_or(AppError::NotFound)
}

/// Changes a channel (admins); type rules apply to the new values.
pub async fn update(state: &AppState, scope: &Scope, id: Uuid, patch: UpdateChannel) -> AppResult<entity::Model> {
    scope.require(Role::Admin)?;
    let current = get(state, scope, id).await?;
    let channel_type = ChannelType::parse(&current.channel_type).unwrap_or(ChannelType::Api);
    validate_callback_url(state, patch.callback_url.as_deref()).await?;
    if patch.callback_url.is_some() && channel_type != ChannelType::Api {
        return Err(AppError::field("callbackUrl", "is only used by API channels"));
    }
    let adapter = adapters::of_type(state, channel_type);
    if let Some(account_id) = &patch.account_id {
        adapter.validate_account_id(Some(account_id))?;
    }
    let enabled_after = patch.enabled.unwrap_or(current.enabled);
    if channel_type.is_meta()
        && enabled_after
        && (patch.account_id.is_some() || patch.enabled == Some(true))
        && let Some(account_id) = patch.account_id.as_deref().or(current.account_id.as_deref())
    {
        ensure_account_free(state, account_id, Some(current.id)).await?;
    }
    let credentials = match &patch.credentials {
        Some(value) => {
            super::credentials::refuse_env_references(Some(value))?;
            adapter.validate_credentials(Some(value))?;
            Some(seal_credentials(state, Some(value))?)
        }
        None => None,
    };
    let settings_changed =
        patch.phone_number.is_some() || patch.messaging_service_sid.is_some() || patch.include_groups.is_some();
    let settings = adapter.settings(
        current.settings.as_ref(),
        &SettingsPatch {
            phone_number: patch.phone_number.clone(),
            messaging_service_sid: patch.messaging_service_sid.clone(),
            include_groups: patch.include_groups,
        },
    )?;
    let fields: Vec<&str> = [
        patch.name.as_ref().map(|_| "name"),
        patch.account_id.as_ref().map(|_| "accountId"),
        patch.callback_url.as_ref().map(|_| "callbackUrl"),
        patch.enabled.map(|_| "enabled"),
        patch.credentials.as_ref().map(|_| "credentials"),
        patch.phone_number.as_ref().map(|_| "phoneNumber"),
        patch.messaging_service_sid.as_ref().map(|_| "messagingServiceSid"),
        patch.include_groups.map(|_| "includeGroups"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let new_credentials = credentials.is_some();
    let updated = store::update(&state.db, scope, current, |active| {
        if let Some(name) = patch.name {
            active.name = Set(name.trim().to_string());
        }
        if let Some(account_id) = patch.account_id {
            active.account_id = Set(Some(account_id.trim().to_string()));
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
        if settings_changed {
            active.settings = Set(settings);
        }
    })
    .await
    .map_err(map_account_conflict(channel_type))?;
    audit::record(&state.db, scope, Entry::new("channel.updated", "channel", id).details(json!({ "fields": fields })))
        .await?;
    if new_credentials && adapter.pairs_by_qr() {
        register_zapi_webhooks(state, &updated).await?;
    }
    // New credentials are a fresh start for a channel the provider had refused.
    if new_credentials && updated.connection_status == NEEDS_ATTENTION {
        return set_connection_status(state, &updated, "connected", None).await;
    }
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

/// The provider refused the channel's credentials: an admin must fix them.
pub const NEEDS_ATTENTION: &str = "needs_attention";

/// The `channel_status` payload pushed to managers.
pub fn status_payload(m: &entity::Model, detail: Option<&str>) -> ChannelStatusView {
    ChannelStatusView {
        channel_id: m.id,
        channel_type: m.channel_type.clone(),
        name: m.name.clone(),
        connection_status: m.connection_status.clone(),
        detail: detail.map(str::to_string),
    }
}

/// Records a channel's connection state; when it changed, tells the tenant's managers
/// (`channel_status`). `detail` explains it (provider message, `qr_expired`, ...).
pub async fn set_connection_status(
    state: &AppState,
    channel: &entity::Model,
    status: &str,
    detail: Option<&str>,
) -> AppResult<entity::Model> {
    if channel.connection_status == status {
        return Ok(channel.clone());
    }
    let scope = Scope::system(channel.tenant_id);
    let txn = crate::db::begin_write(&state.db).await?;
    let updated =
        store::update(&txn, &scope, channel.clone(), |active| active.connection_status = Set(status.into())).await?;
    let event = ChannelStatusChanged { tenant_id: channel.tenant_id, channel: status_payload(&updated, detail) };
    events::record(&txn, vec![event.into()]).await?;
    events::commit(txn, &state.events).await?;
    tracing::info!(channel_id = %channel.id, from = %channel.connection_status, to = status, "channel connection changed");
    Ok(updated)
}
