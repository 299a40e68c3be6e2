//! Z-API webhooks: `POST /webhooks/zapi/{channelId}/{secret}` for every callback kind
//! (received, message status, delivery, connected, disconnected). Z-API signs nothing,
//! so the URL carries the channel's random webhook secret (compared in constant time)
//! and the payload's `instanceId` must be the channel's instance.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, header},
};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::{
    api::WebhookAck,
    normalize,
    service::{self, Accepted, Delivery},
};
use crate::{
    channels::{self, model::ChannelType},
    error::{AppError, AppResult},
    http::Path,
    state::AppState,
};

const PROVIDER: &str = "zapi";

/// Any Z-API callback: authenticated by the URL secret and instance id, stored, queued.
#[utoipa::path(post, path = "/webhooks/zapi/{channel_id}/{secret}", operation_id = "receive_zapi_webhook", tag = "webhooks",
    params(("channel_id" = Uuid, Path), ("secret" = String, Path)),
    request_body(content_type = "application/json", content = String),
    responses((status = 200, body = WebhookAck), (status = 401, description = "invalid_signature"),
              (status = 403, description = "tenant_suspended"), (status = 404), (status = 422),
              (status = 503, description = "not stored; retry")))]
pub async fn receive(
    State(state): State<AppState>,
    Path((channel_id, secret)): Path<(Uuid, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<axum::Json<WebhookAck>> {
    let channel = service::channel_for(&state, channel_id, ChannelType::WhatsappZapi).await?;
    let expected = channels::service::webhook_secret(&state, &channel)?;
    let secret_ok: bool = expected.ct_eq(secret.as_bytes()).into();
    if !secret_ok {
        service::refused(PROVIDER, "bad_secret");
        return Err(AppError::InvalidSignature);
    }
    let instance = channel.account_id.as_deref().unwrap_or("");
    if !providers::zapi::verify_instance(&body, instance) {
        service::refused(PROVIDER, "wrong_instance");
        return Err(AppError::InvalidSignature);
    }
    let options = channels::credentials::ZapiSettings::of(&channel).parse_options();
    let events = providers::zapi::parse_callback_with(&body, &options).map_err(|e| {
        service::refused(PROVIDER, "unparseable");
        AppError::field("body", e.to_string())
    })?;
    let key = service::event_key(&events, &body);
    let payload = service::utf8_payload(&body)?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
    let events = normalize::from_provider(&channel, PROVIDER, &body, events);
    let delivery = Delivery { provider: PROVIDER, event_key: &key, payload, content_type, events };
    let ack = match service::accept(&state, &channel, delivery).await? {
        Accepted::New(id) => WebhookAck { status: "accepted", event_id: Some(id) },
        Accepted::Duplicate => WebhookAck { status: "duplicate", event_id: None },
    };
    Ok(axum::Json(ack))
}
