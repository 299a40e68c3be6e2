//! Generic API channel inbound: `POST /webhooks/api/{channelId}` with JSON
//! `{externalId, contact:{identifier, name, phone?, email?}, content, contentType?,
//! attachments?}` signed `X-Atende-Signature: sha256=<hex HMAC-SHA256(raw body, secret)>`.

use axum::{
    body::Bytes,
    extract::State,
    http::{HeaderMap, header},
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{
    normalize,
    service::{self, Accepted, Delivery},
};
use crate::{
    channels::{self, adapters::api::SIGNATURE_HEADER, model::ChannelType},
    contacts::model::IdentityKind,
    error::{AppError, AppResult},
    http::Path,
    inbox::{
        ingest::Inbound,
        model::{AttachmentRef, ContentType},
    },
    state::AppState,
};

/// The inbound message an integrator posts.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiInbound {
    pub external_id: String,
    pub contact: ApiContact,
    pub content: Option<String>,
    pub content_type: Option<ContentType>,
    #[serde(default)]
    pub attachments: Vec<AttachmentRef>,
}

/// Who wrote it, as the integrating system knows them.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ApiContact {
    pub identifier: String,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// `{status: "accepted"|"duplicate", eventId?}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookAck {
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<Uuid>,
}

impl ApiInbound {
    /// Checks what routing and dedupe need; the full parse runs in the job.
    pub fn parse(body: &[u8]) -> AppResult<Self> {
        let parsed: ApiInbound = serde_json::from_slice(body).map_err(|e| AppError::Validation {
            message: format!("invalid payload: {e}"),
            details: json!({ "body": [e.to_string()] }),
        })?;
        if parsed.external_id.trim().is_empty() || parsed.external_id.len() > 200 {
            return Err(AppError::field("externalId", "must be 1-200 characters"));
        }
        if parsed.contact.identifier.trim().is_empty() || parsed.contact.identifier.len() > 200 {
            return Err(AppError::field("contact.identifier", "must be 1-200 characters"));
        }
        if parsed.content.as_deref().is_none_or(|c| c.trim().is_empty()) && parsed.attachments.is_empty() {
            return Err(AppError::field("content", "a message needs content or attachments"));
        }
        Ok(parsed)
    }

    /// The normalised inbound message.
    pub fn into_inbound(self) -> Inbound {
        let content_type = self.content_type.unwrap_or(if self.attachments.is_empty() {
            ContentType::Text
        } else {
            ContentType::File
        });
        Inbound {
            external_id: self.external_id,
            identity_kind: IdentityKind::Api,
            identity_value: self.contact.identifier,
            profile_name: self.contact.name,
            phone: self.contact.phone,
            email: self.contact.email.map(|e| e.to_lowercase()),
            content: self.content,
            content_type,
            attachments: self.attachments,
            metadata: None,
            timestamp: None,
            is_echo: false,
        }
    }
}

/// Receives a message for an API channel: verified, stored, queued, acknowledged.
#[utoipa::path(post, path = "/webhooks/api/{channel_id}", operation_id = "receive_api_webhook", tag = "webhooks", params(("channel_id" = Uuid, Path)),
    request_body = ApiInbound,
    responses((status = 200, body = WebhookAck), (status = 401, description = "invalid_signature"),
              (status = 404), (status = 422), (status = 503, description = "not stored; retry")))]
pub async fn receive(
    State(state): State<AppState>,
    Path(channel_id): Path<Uuid>,
    headers: HeaderMap,
    body: Bytes,
) -> AppResult<axum::Json<WebhookAck>> {
    let channel = service::channel_for(&state, channel_id, ChannelType::Api).await?;
    let secret = channels::service::webhook_secret(&state, &channel)?;
    let signature = headers.get(SIGNATURE_HEADER).and_then(|v| v.to_str().ok());
    if !channels::adapters::api::verify(&secret, &body, signature) {
        metrics::counter!("webhook_events_total", "provider" => "api", "outcome" => "bad_signature").increment(1);
        return Err(AppError::InvalidSignature);
    }
    let parsed = ApiInbound::parse(&body)?;
    let payload = String::from_utf8(body.to_vec()).map_err(|_| AppError::field("body", "must be UTF-8 JSON"))?;
    let content_type = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
    let key = parsed.external_id.trim().to_string();
    let delivery =
        Delivery { provider: "api", event_key: &key, payload, content_type, events: normalize::from_api(parsed) };
    let ack = match service::accept(&state, &channel, delivery).await? {
        Accepted::New(id) => WebhookAck { status: "accepted", event_id: Some(id) },
        Accepted::Duplicate => WebhookAck { status: "duplicate", event_id: None },
    };
    Ok(axum::Json(ack))
}
