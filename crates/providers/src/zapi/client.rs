//! Z-API instance and send endpoints (reference §3.1–§3.4).

use std::fmt;

use async_trait::async_trait;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use url::Url;

use crate::common::{
    ChannelAdapter, ConfigError, ContentType, DeliveryStatus, OutboundMessage, SendError, SendResult, non_empty,
};
use crate::http::{self, RawResponse};

/// Production API host.
pub const DEFAULT_BASE_URL: &str = "https://api.z-api.io";

/// Instance id + token (URL path) and account `Client-Token`. `Debug` hides the tokens.
#[derive(Clone, PartialEq, Eq)]
pub struct ZapiCredentials {
    /// Instance id.
    pub instance_id: String,
    /// Instance token (a path segment: the URL is a secret).
    pub instance_token: String,
    /// Account security token sent as `Client-Token`.
    pub client_token: String,
}

impl fmt::Debug for ZapiCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ZapiCredentials")
            .field("instance_id", &self.instance_id)
            .field("instance_token", &"<redacted>")
            .field("client_token", &"<redacted>")
            .finish()
    }
}

/// Everything a [`ZapiClient`] needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZapiConfig {
    /// API host, [`DEFAULT_BASE_URL`] in production.
    pub base_url: String,
    /// Instance credentials.
    pub credentials: ZapiCredentials,
    /// `delayMessage` (1–15 s) for sends; Z-API's random 1–3 s when `None`.
    pub delay_message: Option<u8>,
}

/// Answer of `GET /qr-code/image`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QrCode {
    /// A `data:image/png;base64,...` image to scan (expires in ~20 s).
    Image(String),
    /// The instance is already connected; there is nothing to scan.
    AlreadyConnected,
}

/// Answer of `GET /status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceStatus {
    /// WhatsApp session connected.
    pub connected: bool,
    /// The phone itself is online.
    pub smartphone_connected: bool,
    /// Z-API's explanation (`You are not connected.`, ...).
    pub error: Option<String>,
}

/// A webhook URL setting (§3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookKind {
    /// `ReceivedCallback`.
    Received,
    /// `DeliveryCallback`.
    Delivery,
    /// `MessageStatusCallback`.
    MessageStatus,
    /// `ConnectedCallback`.
    Connected,
    /// `DisconnectedCallback`.
    Disconnected,
}

impl WebhookKind {
    fn path(self) -> &'static str {
        match self {
            WebhookKind::Received => "update-webhook-received",
            WebhookKind::Delivery => "update-webhook-delivery",
            WebhookKind::MessageStatus => "update-webhook-message-status",
            WebhookKind::Connected => "update-webhook-connected",
            WebhookKind::Disconnected => "update-webhook-disconnected",
        }
    }
}

/// Z-API client for one instance.
#[derive(Debug, Clone)]
pub struct ZapiClient {
    http: reqwest::Client,
    base: Url,
    config: ZapiConfig,
}

impl ZapiClient {
    /// Builds a client; fails on an unusable base URL or empty credentials.
    pub fn new(http: reqwest::Client, config: ZapiConfig) -> Result<Self, ConfigError> {
        let base = http::parse_base_url(&config.base_url)?;
        let c = &config.credentials;
        if c.instance_id.trim().is_empty() {
            return Err(ConfigError::Missing("instance_id"));
        }
        if c.instance_token.trim().is_empty() {
            return Err(ConfigError::Missing("instance_token"));
        }
        if c.client_token.is_empty() {
            return Err(ConfigError::Missing("client_token"));
        }
        Ok(Self { http, base, config })
    }

    /// The instance URL for a method path (`["send-text"]`, `["qr-code", "image"]`).
    pub fn method_url(&self, method: &[&str]) -> Url {
        let c = &self.config.credentials;
        let prefix = ["instances", c.instance_id.as_str(), "token", c.instance_token.as_str()];
        http::join_segments(&self.base, prefix.into_iter().chain(method.iter().copied()))
    }

    /// The method path and JSON body of the send request for `msg`.
    pub fn send_request(&self, msg: &OutboundMessage) -> Result<(Vec<String>, Value), SendError> {
        let phone = phone_digits(&msg.to)?;
        let media_url = || {
            msg.media_url
                .as_deref()
                .filter(|u| !u.is_empty())
                .ok_or_else(|| SendError::permanent("missing_media", "media message without media_url"))
        };
        let caption = msg.text_content();
        let (path, mut body) = match msg.content_type {
            ContentType::Text => {
                let text =
                    caption.ok_or_else(|| SendError::permanent("empty_message", "text message without content"))?;
                (vec!["send-text".to_owned()], json!({ "phone": phone, "message": text }))
            }
            ContentType::Image | ContentType::Sticker => {
                (vec!["send-image".to_owned()], json!({ "phone": phone, "image": media_url()?, "caption": caption }))
            }
            ContentType::Video => {
                (vec!["send-video".to_owned()], json!({ "phone": phone, "video": media_url()?, "caption": caption }))
            }
            ContentType::Audio => (vec!["send-audio".to_owned()], json!({ "phone": phone, "audio": media_url()? })),
            ContentType::File => {
                let url = media_url()?;
                let ext = document_extension(msg.filename.as_deref(), url)?;
                (
                    vec!["send-document".to_owned(), ext],
                    json!({
                        "phone": phone,
                        "document": url,
                        "fileName": msg.filename,
                        "caption": caption,
                    }),
                )
            }
            other => return Err(SendError::unsupported("Z-API", format!("{other:?} messages"))),
        };
        if let Some(obj) = body.as_object_mut() {
            obj.retain(|_, v| !v.is_null());
            if let Some(reply) = non_empty(msg.reply_to.as_deref()) {
                obj.insert("messageId".to_owned(), json!(reply));
            }
            if let Some(delay) = self.config.delay_message {
                obj.insert("delayMessage".to_owned(), json!(delay));
            }
        }
        Ok((path, body))
    }

    /// `GET /qr-code/image`.
    pub async fn qr_code_image(&self) -> Result<QrCode, SendError> {
        let v = self.call(Method::GET, &["qr-code", "image"], None).await?;
        if let Some(image) = v.get("value").and_then(Value::as_str).filter(|s| !s.is_empty()) {
            return Ok(QrCode::Image(image.to_owned()));
        }
        if v.get("connected").and_then(Value::as_bool) == Some(true) {
            return Ok(QrCode::AlreadyConnected);
        }
        Err(SendError::permanent("invalid_response", "Z-API QR code response without `value`"))
    }

    /// `GET /status`.
    pub async fn status(&self) -> Result<InstanceStatus, SendError> {
        let v = self.call_raw(Method::GET, &["status"], None).await?;
        // `error` is a normal explanation here, unless `connected` is missing
        // (e.g. `{"error":"null not allowed"}`).
        let connected = v.get("connected").and_then(Value::as_bool).ok_or_else(|| {
            body_error(&v)
                .unwrap_or_else(|| SendError::permanent("invalid_response", "Z-API status without `connected`"))
        })?;
        Ok(InstanceStatus {
            connected,
            smartphone_connected: v.get("smartphoneConnected").and_then(Value::as_bool).unwrap_or(false),
            error: v.get("error").and_then(Value::as_str).and_then(|s| non_empty(Some(s))),
        })
    }

    /// `GET /disconnect`: unlinks the number; webhooks stop afterwards.
    pub async fn disconnect(&self) -> Result<(), SendError> {
        self.call(Method::GET, &["disconnect"], None).await.map(drop)
    }

    /// `GET /restart`.
    pub async fn restart(&self) -> Result<(), SendError> {
        let v = self.call(Method::GET, &["restart"], None).await?;
        expect_value_true(&v, "restart")
    }

    /// `GET /restore-session`, used after a disconnection callback.
    pub async fn restore_session(&self) -> Result<(), SendError> {
        let v = self.call(Method::GET, &["restore-session"], None).await?;
        expect_value_true(&v, "restore-session")
    }

    /// `PUT /update-webhook-*` with `{"value": url}`.
    pub async fn update_webhook(&self, kind: WebhookKind, url: &str) -> Result<(), SendError> {
        self.call(Method::PUT, &[kind.path()], Some(json!({ "value": url }))).await.map(drop)
    }

    /// `PUT /update-every-webhooks` with `{"value": url, "notifySentByMe": bool}`.
    pub async fn update_every_webhooks(&self, url: &str, notify_sent_by_me: bool) -> Result<(), SendError> {
        let body = json!({ "value": url, "notifySentByMe": notify_sent_by_me });
        let v = self.call(Method::PUT, &["update-every-webhooks"], Some(body)).await?;
        expect_value_true(&v, "update-every-webhooks")
    }

    /// A call whose answer must not carry an `error` key.
    async fn call(&self, method: Method, path: &[&str], body: Option<Value>) -> Result<Value, SendError> {
        let v = self.call_raw(method, path, body).await?;
        if let Some(err) = body_error(&v) {
            return Err(err);
        }
        Ok(v)
    }

    /// A call whose 2xx answer is returned as is (`/status` uses `error` for
    /// a normal explanation).
    async fn call_raw(&self, method: Method, path: &[&str], body: Option<Value>) -> Result<Value, SendError> {
        let mut request = self
            .http
            .request(method, self.method_url(path))
            .header("Client-Token", &self.config.credentials.client_token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = http::execute(request).await?;
        if !response.status.is_success() {
            return Err(map_error(&response));
        }
        if response.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(Value::Null);
        }
        serde_json::from_slice(&response.body)
            .map_err(|e| SendError::permanent("invalid_response", format!("unreadable Z-API response: {e}")))
    }
}

#[async_trait]
impl ChannelAdapter for ZapiClient {
    async fn send(&self, msg: &OutboundMessage) -> Result<SendResult, SendError> {
        let (path, body) = self.send_request(msg)?;
        let path: Vec<&str> = path.iter().map(String::as_str).collect();
        let v = self.call(Method::POST, &path, Some(body)).await?;
        let external_id = ["messageId", "id"]
            .into_iter()
            .find_map(|k| v.get(k).and_then(Value::as_str).and_then(|s| non_empty(Some(s))))
            .ok_or_else(|| SendError::permanent("invalid_response", "Z-API response without messageId"))?;
        Ok(SendResult { external_id, status: DeliveryStatus::Sent })
    }
}

fn expect_value_true(v: &Value, what: &str) -> Result<(), SendError> {
    if v.get("value").and_then(Value::as_bool) == Some(false) {
        return Err(SendError::permanent("rejected", format!("Z-API answered value=false to {what}")));
    }
    Ok(())
}

fn text_of(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => non_empty(Some(s)),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// An `error` key in a JSON body, as a [`SendError`].
fn body_error(v: &Value) -> Option<SendError> {
    let error = text_of(v, "error")?;
    let message = text_of(v, "message");
    let reason = match &message {
        Some(m) => format!("{error}: {m}"),
        None => error.clone(),
    };
    if error.to_ascii_lowercase().contains("not allowed") {
        return Some(SendError::Auth { reason: format!("Z-API: {reason}") });
    }
    Some(SendError::Permanent { code: error, reason: message.unwrap_or(reason) })
}

fn map_error(response: &RawResponse) -> SendError {
    let status = response.status;
    let parsed: Option<Value> = serde_json::from_slice(&response.body).ok();
    let described = parsed.as_ref().and_then(body_error);
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        let detail = described.map_or_else(|| http::snippet(&response.body_text()), |e| e.reason().to_owned());
        return SendError::Retryable {
            reason: format!("Z-API HTTP {}: {detail}", status.as_u16()),
            retry_after: http::retry_after(&response.headers),
        };
    }
    if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
        let detail = described.map_or_else(|| http::snippet(&response.body_text()), |e| e.reason().to_owned());
        return SendError::Auth { reason: format!("Z-API HTTP {}: {detail}", status.as_u16()) };
    }
    described.unwrap_or_else(|| {
        SendError::permanent(
            status.as_u16().to_string(),
            format!("Z-API HTTP {}: {}", status.as_u16(), http::snippet(&response.body_text())),
        )
    })
}

/// Digits-only phone (`5511987654321`) from E.164 or formatted input; group
/// ids (`...-group`) and JIDs (`...@...`) pass through.
fn phone_digits(raw: &str) -> Result<String, SendError> {
    let raw = raw.trim();
    if raw.ends_with("-group") || raw.contains('@') {
        return Ok(raw.to_owned());
    }
    let digits: String = raw.chars().filter(|c| !matches!(c, '+' | ' ' | '-' | '(' | ')' | '.')).collect();
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SendError::permanent("invalid_recipient", format!("`{raw}` is not a phone number")));
    }
    Ok(digits)
}

/// Extension for `/send-document/{ext}`: from the file name, else the URL path.
fn document_extension(filename: Option<&str>, url: &str) -> Result<String, SendError> {
    let from_name = |name: &str| {
        let (_, ext) = name.rsplit_once('.')?;
        let ext = ext.to_ascii_lowercase();
        (!ext.is_empty() && ext.len() <= 10 && ext.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(ext)
    };
    let url_name =
        Url::parse(url).ok().and_then(|u| u.path_segments().and_then(|mut s| s.next_back().map(ToOwned::to_owned)));
    filename.and_then(from_name).or_else(|| url_name.as_deref().and_then(from_name)).ok_or_else(|| {
        SendError::permanent(
            "document_extension_unknown",
            "Z-API needs the document extension: give a file name or a URL ending in .ext",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones() {
        assert_eq!(phone_digits("+55 11 98765-4321").unwrap(), "5511987654321");
        assert_eq!(phone_digits("5511987654321").unwrap(), "5511987654321");
        assert_eq!(phone_digits("120363019502650977-group").unwrap(), "120363019502650977-group");
        assert!(phone_digits("maria").is_err());
        assert!(phone_digits("").is_err());
    }

    #[test]
    fn document_extensions() {
        assert_eq!(document_extension(Some("Boleto.PDF"), "https://x/y").unwrap(), "pdf");
        assert_eq!(document_extension(None, "https://x/files/a.docx?sig=1").unwrap(), "docx");
        assert!(document_extension(None, "https://x/files/download").is_err());
        assert!(document_extension(Some("noext"), "not a url").is_err());
    }

    #[test]
    fn body_errors() {
        assert!(matches!(body_error(&json!({"error":"null not allowed"})), Some(SendError::Auth { .. })));
        assert!(matches!(body_error(&json!({"error":"[IP request] not allowed"})), Some(SendError::Auth { .. })));
        let e = body_error(&json!({"error":"NOT_FOUND","message":"Unable to find matching target resource method"}))
            .unwrap();
        assert_eq!(e.code(), Some("NOT_FOUND"));
        assert_eq!(e.reason(), "Unable to find matching target resource method");
        assert!(body_error(&json!({"error": null, "value": true})).is_none());
        assert!(body_error(&json!({"messageId":"X"})).is_none());
    }

    #[test]
    fn credentials_debug_hides_tokens() {
        let c = ZapiCredentials {
            instance_id: "INST".into(),
            instance_token: "tok-secret".into(),
            client_token: "client-secret".into(),
        };
        let s = format!("{c:?}");
        assert!(s.contains("INST") && !s.contains("tok-secret") && !s.contains("client-secret"));
    }
}
