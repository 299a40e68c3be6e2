//! Z-API pairing lifecycle: the QR code, the true connection state, disconnect and
//! restart, and a background watcher that polls the instance while a QR code waits to
//! be scanned. Every change of state reaches the tenant's managers live as
//! `channel_status`; when the number reconnects, sends refused while it was
//! disconnected are queued again.
//!
//! The watcher is a `watch_zapi_connection` job that reschedules itself every
//! `ATENDE_ZAPI_QR_POLL_SECS` while it has polls left (QR codes last ~20 s and Z-API
//! advises stopping after 3 unscanned ones: about a minute). Its state lives in the
//! channel's settings (`zapiWatch: {generation, pollsLeft}`); starting a new watch bumps
//! the generation, so an older job still queued simply stops.

use chrono::Utc;
use providers::ConnectionEvent;
use sea_orm::Set;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    adapters::{self, Pairing, PairingQr, SendError},
    credentials, entity, service, store,
};
use crate::{
    audit::{self, Entry},
    error::{AppError, AppResult},
    jobs::{self, JobError, JobPayload},
    state::AppState,
    tenancy::{Role, Scope},
};

/// Polls per watch: with the default 15 s interval, the life of three QR codes.
pub const WATCH_POLLS: i64 = 4;

/// Connection states a channel goes through.
pub mod status {
    /// Paired and working.
    pub const CONNECTED: &str = "connected";
    /// Not paired: sends fail at once and are resent on reconnection.
    pub const DISCONNECTED: &str = "disconnected";
    /// A QR code was shown and is waiting to be scanned.
    pub const QR_PENDING: &str = "qr_pending";
}

/// `GET /channels/{id}/qr-code`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QrCodeView {
    /// `qr_pending` (scan `qrCode`) or `connected` (nothing to scan).
    pub connection_status: String,
    /// `data:image/png;base64,…`, valid for about 20 seconds.
    pub qr_code: Option<String>,
}

/// `GET /channels/{id}/connection`.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConnectionView {
    /// The recorded state after this check.
    pub connection_status: String,
    /// The WhatsApp session is up.
    pub connected: bool,
    /// The phone itself is online.
    pub smartphone_connected: bool,
    /// Z-API's explanation (`You are not connected.`, ...).
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Watch {
    generation: i64,
    polls_left: i64,
}

fn watch_of(channel: &entity::Model) -> Watch {
    channel.settings.as_ref().and_then(|s| serde_json::from_value(s["zapiWatch"].clone()).ok()).unwrap_or_default()
}

fn settings_with(channel: &entity::Model, watch: Watch) -> Value {
    let mut settings = match &channel.settings {
        Some(Value::Object(map)) => Value::Object(map.clone()),
        _ => json!({}),
    };
    settings["zapiWatch"] = json!(watch);
    settings
}

async fn save_watch(state: &AppState, channel: &entity::Model, watch: Watch) -> AppResult<entity::Model> {
    let settings = settings_with(channel, watch);
    let scope = Scope::system(channel.tenant_id);
    Ok(store::update(&state.db, &scope, channel.clone(), |active| active.settings = Set(Some(settings))).await?)
}

/// Starts (or restarts) the watcher with `polls` status checks.
pub async fn start_watch(state: &AppState, channel: &entity::Model, polls: i64) -> AppResult<entity::Model> {
    let watch = Watch { generation: watch_of(channel).generation + 1, polls_left: polls };
    let updated = save_watch(state, channel, watch).await?;
    jobs::enqueue(
        &state.db,
        Some(channel.tenant_id),
        &JobPayload::WatchZapiConnection { channel_id: channel.id, generation: watch.generation },
        None,
    )
    .await?;
    state.job_notify.notify_one();
    Ok(updated)
}

/// A QR-paired channel of the caller's tenant (admins) and its pairing calls.
async fn qr_channel(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<(entity::Model, Box<dyn Pairing>)> {
    scope.require(Role::Admin)?;
    let channel = service::get(state, scope, id).await?;
    if !pairs_by_qr(state, &channel) {
        return Err(AppError::conflict("not_qr_channel", "Only WHATSAPP_ZAPI channels connect by QR code"));
    }
    let client = client_for(state, &channel)?;
    Ok((channel, client))
}

/// Whether the channel's number is paired by QR code.
fn pairs_by_qr(state: &AppState, channel: &entity::Model) -> bool {
    adapters::of_channel(state, channel).is_ok_and(|a| a.pairs_by_qr())
}

/// The `register_zapi_webhooks` job: points every webhook of the Z-API instance
/// (received, status, connected, disconnected) at this channel's secret URL, with
/// `notifySentByMe` so messages typed on the phone are recorded too. Runs after
/// creation and after new credentials; a refusal leaves the job dead for admins to see.
pub async fn register_webhooks(state: &AppState, channel_id: Uuid) -> Result<(), JobError> {
    let Some(channel) = store::platform_find(&state.db, channel_id).await? else { return Ok(()) };
    if !pairs_by_qr(state, &channel) || !channel.enabled {
        return Ok(());
    }
    let client = client_for(state, &channel).map_err(|e| JobError::Fatal(e.to_string()))?;
    let secret = service::webhook_secret(state, &channel).map_err(JobError::from)?;
    let secret = String::from_utf8(secret).map_err(|_| JobError::Fatal("webhook secret is not text".into()))?;
    let url = service::view_with_secret(state, &channel, Some(&secret)).webhook_url;
    match client.register_webhooks(&url).await {
        Ok(()) => {
            tracing::info!(channel_id = %channel.id, "Z-API webhooks registered");
            Ok(())
        }
        Err(e) if e.is_retryable() => Err(JobError::Retry { reason: e.to_string(), after: e.retry_after() }),
        Err(e) => Err(JobError::Fatal(format!("Z-API refused the webhook URL: {e}"))),
    }
}

fn client_for(state: &AppState, channel: &entity::Model) -> AppResult<Box<dyn Pairing>> {
    let resolved = credentials::resolve(state, channel)?;
    let adapter = adapters::of_channel(state, channel)?;
    match adapter.pairing(channel, resolved.as_ref()) {
        Some(pairing) => pairing.map_err(|e| AppError::conflict("invalid_configuration", e.reason().to_string())),
        None => Err(AppError::conflict("not_qr_channel", "Only WHATSAPP_ZAPI channels connect by QR code")),
    }
}

/// A Z-API call that failed, as an API error (refused credentials flag the channel).
async fn provider_error(state: &AppState, channel: &entity::Model, e: SendError) -> AppError {
    match e {
        SendError::Auth { reason } => {
            if let Err(err) =
                service::set_connection_status(state, channel, service::NEEDS_ATTENTION, Some(&reason)).await
            {
                tracing::warn!(error = %err, "could not flag the channel");
            }
            AppError::conflict("provider_auth_failed", format!("Z-API refused the credentials: {reason}"))
        }
        // Z-API failing is not Atende being down: say which provider and what to check.
        other => AppError::Upstream {
            status: axum::http::StatusCode::BAD_GATEWAY,
            code: "provider_unavailable",
            message: format!(
                "Z-API did not answer as expected ({}); check the channel's instance id and token",
                other.reason()
            ),
            details: serde_json::json!({ "provider": "Z-API" }),
            retry_after_secs: None,
        },
    }
}

/// Z-API's QR image as a data URL (tolerates a bare base64 answer).
fn data_url(image: String) -> String {
    if image.starts_with("data:") { image } else { format!("data:image/png;base64,{image}") }
}

/// The QR code to pair the number; starts the watcher while it is pending.
pub async fn qr_code(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<QrCodeView> {
    let (channel, client) = qr_channel(state, scope, id).await?;
    match client.qr_code().await {
        Ok(PairingQr::AlreadyConnected) => {
            let channel = mark_connected(state, &channel, None).await?;
            Ok(QrCodeView { connection_status: channel.connection_status, qr_code: None })
        }
        Ok(PairingQr::Image(image)) => {
            let channel = service::set_connection_status(state, &channel, status::QR_PENDING, None).await?;
            let channel = start_watch(state, &channel, WATCH_POLLS).await?;
            Ok(QrCodeView { connection_status: channel.connection_status, qr_code: Some(data_url(image)) })
        }
        Err(e) => Err(provider_error(state, &channel, e).await),
    }
}

/// The instance's true state, asked of Z-API now (and recorded).
pub async fn connection(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<ConnectionView> {
    let (channel, client) = qr_channel(state, scope, id).await?;
    let live = match client.status().await {
        Ok(live) => live,
        Err(e) => return Err(provider_error(state, &channel, e).await),
    };
    let channel = if live.connected {
        mark_connected(state, &channel, None).await?
    } else if channel.connection_status == status::QR_PENDING {
        channel
    } else {
        service::set_connection_status(state, &channel, status::DISCONNECTED, live.error.as_deref()).await?
    };
    Ok(ConnectionView {
        connection_status: channel.connection_status,
        connected: live.connected,
        smartphone_connected: live.smartphone_connected,
        error: live.error,
    })
}

/// Unlinks the number from the instance (admins).
pub async fn disconnect(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<entity::Model> {
    let (channel, client) = qr_channel(state, scope, id).await?;
    if let Err(e) = client.disconnect().await {
        return Err(provider_error(state, &channel, e).await);
    }
    let channel =
        save_watch(state, &channel, Watch { generation: watch_of(&channel).generation + 1, polls_left: 0 }).await?;
    let channel =
        service::set_connection_status(state, &channel, status::DISCONNECTED, Some("disconnected_by_user")).await?;
    audit::record(&state.db, scope, Entry::new("channel.disconnected", "channel", id)).await?;
    Ok(channel)
}

/// Restarts the instance (admins) and watches what it comes back as.
pub async fn restart(state: &AppState, scope: &Scope, id: Uuid) -> AppResult<entity::Model> {
    let (channel, client) = qr_channel(state, scope, id).await?;
    if let Err(e) = client.restart().await {
        return Err(provider_error(state, &channel, e).await);
    }
    let channel = start_watch(state, &channel, WATCH_POLLS).await?;
    audit::record(&state.db, scope, Entry::new("channel.restarted", "channel", id)).await?;
    Ok(channel)
}

/// Records a connection callback (Z-API `ConnectedCallback` / `DisconnectedCallback`).
pub async fn on_connection_event(
    state: &AppState,
    channel: &entity::Model,
    event: &ConnectionEvent,
) -> AppResult<entity::Model> {
    if event.connected {
        mark_connected(state, channel, None).await
    } else {
        service::set_connection_status(state, channel, status::DISCONNECTED, event.error.as_deref()).await
    }
}

/// Connected: stop watching and resend what was refused while disconnected.
async fn mark_connected(state: &AppState, channel: &entity::Model, detail: Option<&str>) -> AppResult<entity::Model> {
    let mut channel = service::set_connection_status(state, channel, status::CONNECTED, detail).await?;
    if watch_of(&channel).polls_left > 0 {
        let watch = Watch { generation: watch_of(&channel).generation, polls_left: 0 };
        channel = save_watch(state, &channel, watch).await?;
    }
    // Messages refused meanwhile go out again: inbox reacts to the recorded change
    // (`inbox::resend`).
    Ok(channel)
}

/// The `watch_zapi_connection` job: one status check, then another later while polls
/// are left and the number is not connected.
pub async fn watch(state: &AppState, channel_id: Uuid, generation: i64) -> Result<(), JobError> {
    let Some(channel) = store::platform_find(&state.db, channel_id).await? else { return Ok(()) };
    let current = watch_of(&channel);
    if current.generation != generation || current.polls_left <= 0 || !channel.enabled || !pairs_by_qr(state, &channel)
    {
        return Ok(());
    }
    let live = match client_for(state, &channel) {
        Ok(client) => client.status().await,
        Err(e) => Err(SendError::Permanent { code: "invalid_configuration".into(), reason: e.to_string() }),
    };
    match &live {
        Ok(live) if live.connected => {
            mark_connected(state, &channel, None).await?;
            return Ok(());
        }
        Ok(_) => {}
        Err(SendError::Auth { reason }) => {
            service::set_connection_status(state, &channel, service::NEEDS_ATTENTION, Some(reason)).await?;
            save_watch(state, &channel, Watch { generation, polls_left: 0 }).await?;
            return Ok(());
        }
        Err(e) => tracing::debug!(channel_id = %channel.id, error = %e, "z-api status check failed"),
    }
    let polls_left = current.polls_left - 1;
    let channel = save_watch(state, &channel, Watch { generation, polls_left }).await?;
    if polls_left > 0 {
        let wait = chrono::Duration::seconds(i64::try_from(state.config.zapi_qr_poll_secs).unwrap_or(15));
        jobs::enqueue_at(
            &state.db,
            Some(channel.tenant_id),
            &JobPayload::WatchZapiConnection { channel_id, generation },
            Utc::now() + wait,
        )
        .await?;
        state.job_notify.notify_one();
    } else if live.is_ok() {
        // Out of polls and Z-API says "not connected": the QR went unscanned.
        let detail = (channel.connection_status == status::QR_PENDING).then_some("qr_expired");
        service::set_connection_status(state, &channel, status::DISCONNECTED, detail).await?;
    }
    Ok(())
}
