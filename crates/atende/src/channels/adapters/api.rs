//! Generic API channel (like Chatwoot's).
//!
//! Inbound: `POST /webhooks/api/{channelId}` with JSON `{externalId, contact:{identifier,
//! name, phone?, email?}, content, contentType?, attachments?}` signed
//! `X-Atende-Signature: sha256=<hex HMAC-SHA256(raw body, secret)>`.
//!
//! Outbound: agent messages are POSTed as
//! `{event:"message.created", message, conversation, contact}` to the channel's
//! `callbackUrl`, signed `X-Atende-Signature: sha256=<hex HMAC-SHA256(body, secret)>`.
//! Any 2xx means SENT; an optional JSON `{externalId}` in the answer is recorded.
//! 429 (with Retry-After) and 5xx, timeouts and connection errors are retried.

use std::time::Duration;

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use reqwest::StatusCode;
use serde::Deserialize;
use serde_json::json;
use sha2::Sha256;
use utoipa::ToSchema;

use super::{Adapter, ChannelKeys, Delivery, SendError, SendOutcome};
use crate::{
    channels::entity,
    contacts::model::IdentityKind,
    error::{AppError, AppResult},
    inbox::model::{AttachmentRef, ContentType, Inbound},
    webhooks::model::{Normalized, Parsed, Refusal, Webhook},
};

/// Header carrying the signature, inbound and outbound.
pub const SIGNATURE_HEADER: &str = "x-atende-signature";

/// `sha256=<hex>` of a body.
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// Constant-time check of a `sha256=<hex>` header against the raw body.
pub fn verify(secret: &[u8], body: &[u8], header: Option<&str>) -> bool {
    let Some(hex_sig) = header.and_then(|h| h.trim().strip_prefix("sha256=")) else { return false };
    let Ok(expected) = hex::decode(hex_sig) else { return false };
    let mut mac = <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(body);
    mac.verify_slice(&expected).is_ok()
}

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

impl ApiInbound {
    /// Parses and checks a posted message.
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

/// Receives signed messages; posts agent messages to the channel's callback URL.
pub struct ApiAdapter {
    /// The client for tenant-supplied URLs (`security::outbound`).
    http: reqwest::Client,
    allow_private: bool,
}

impl ApiAdapter {
    /// An adapter posting through this client (it must be `security::outbound::client`).
    pub fn new(http: reqwest::Client, allow_private: bool) -> Self {
        ApiAdapter { http, allow_private }
    }
}

#[async_trait]
impl Adapter for ApiAdapter {
    fn provider(&self) -> &'static str {
        "api"
    }

    fn verify(&self, _channel: &entity::Model, hook: &Webhook<'_>, keys: &ChannelKeys<'_>) -> Result<(), Refusal> {
        if verify(keys.webhook_secret()?, hook.body, hook.header(SIGNATURE_HEADER)) {
            Ok(())
        } else {
            Err(Refusal::Unauthenticated("bad_signature"))
        }
    }

    fn parse(&self, _channel: &entity::Model, hook: &Webhook<'_>) -> AppResult<Parsed> {
        let parsed = ApiInbound::parse(hook.body)?;
        let event_key = parsed.external_id.trim().to_string();
        Ok(Parsed { event_key, events: vec![Normalized::Message(parsed.into_inbound())] })
    }

    async fn send(&self, delivery: &Delivery<'_>) -> Result<SendOutcome, SendError> {
        let Some(url) = delivery.channel.callback_url.as_deref() else {
            return Err(SendError::Permanent {
                code: "no_callback_url".into(),
                reason: "The channel has no callback URL".into(),
            });
        };
        let body = serde_json::to_vec(&json!({
            "event": "message.created",
            "message": delivery.message,
            "conversation": delivery.conversation,
            "contact": delivery.contact,
        }))
        .map_err(|e| SendError::Permanent { code: "serialization".into(), reason: e.to_string() })?;
        if let Err(reason) = crate::security::outbound::precheck(url, self.allow_private) {
            return Err(SendError::Permanent {
                code: "callback_url_not_allowed".into(),
                reason: format!("callback refused: {reason}"),
            });
        }
        let response = self
            .http
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .header(SIGNATURE_HEADER, sign(delivery.secret, &body))
            .timeout(Duration::from_secs(15))
            .body(body)
            .send()
            .await
            .map_err(|e| callback_failure(&e))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            // The integrator's server picks this number: never trust it unbounded.
            .map(|secs| Duration::from_secs(secs).min(crate::jobs::MAX_RETRY_DELAY));
        if status.is_success() {
            // Only a small answer is read: an `{externalId}` is all we take from it.
            let text = read_limited(response, 64 * 1024).await;
            let external_id = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v.get("externalId").and_then(|id| id.as_str()).map(str::to_string));
            return Ok(SendOutcome { external_id });
        }
        // The integrator's body is never shown to agents: the status says enough, and a
        // body could carry anything (an internal page, a secret) back into the inbox.
        let reason = format!("callback answered {status}");
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            Err(SendError::Retryable { reason, retry_after })
        } else {
            Err(SendError::Permanent { code: status.as_u16().to_string(), reason })
        }
    }
}

/// Why a callback could not be reached, without its URL or the resolver's detail.
fn callback_failure(e: &reqwest::Error) -> SendError {
    let refused = {
        let mut source: Option<&dyn std::error::Error> = Some(e);
        let mut found = false;
        while let Some(err) = source {
            if err.to_string().contains(crate::security::outbound::REFUSED) {
                found = true;
                break;
            }
            source = err.source();
        }
        found
    };
    if refused {
        return SendError::Permanent {
            code: "callback_url_not_allowed".into(),
            reason: format!("callback refused: {}", crate::security::outbound::REFUSED),
        };
    }
    SendError::Retryable {
        reason: if e.is_timeout() { "callback timed out".into() } else { "callback unreachable".into() },
        retry_after: None,
    }
}

/// Up to `limit` bytes of a response body as text.
async fn read_limited(mut response: reqwest::Response, limit: usize) -> String {
    let mut body = Vec::new();
    while let Ok(Some(chunk)) = response.chunk().await {
        body.extend_from_slice(&chunk);
        if body.len() >= limit {
            body.truncate(limit);
            break;
        }
    }
    String::from_utf8_lossy(&body).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_verify_and_tampering_fails() {
        let sig = sign(b"secret", b"{\"a\":1}");
        assert!(verify(b"secret", b"{\"a\":1}", Some(&sig)));
        assert!(!verify(b"secret", b"{\"a\":2}", Some(&sig)));
        assert!(!verify(b"other", b"{\"a\":1}", Some(&sig)));
        assert!(!verify(b"secret", b"{\"a\":1}", Some("md5=abc")));
        assert!(!verify(b"secret", b"{\"a\":1}", None));
    }
}
