//! Twilio Messages API client (reference §1.1–§1.3).

use std::fmt;

use async_trait::async_trait;
use reqwest::StatusCode;
use serde::Deserialize;
use url::Url;

use super::inbound::map_message_status;
use crate::common::{ChannelAdapter, ConfigError, ContentType, DeliveryStatus, OutboundMessage, SendError, SendResult};
use crate::http::{self, RawResponse};

/// Production API host.
pub const DEFAULT_BASE_URL: &str = "https://api.twilio.com";

/// Account credentials (HTTP Basic: Account SID + Auth Token). `Debug` hides the token.
#[derive(Clone, PartialEq, Eq)]
pub struct TwilioCredentials {
    /// `AC` + 32 hex.
    pub account_sid: String,
    /// Auth token; also the key of `X-Twilio-Signature`.
    pub auth_token: String,
}

impl fmt::Debug for TwilioCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TwilioCredentials")
            .field("account_sid", &self.account_sid)
            .field("auth_token", &"<redacted>")
            .finish()
    }
}

/// Who messages are sent from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TwilioSender {
    /// A WhatsApp sender number (`+14155238886` or `whatsapp:+14155238886`).
    From(String),
    /// A Messaging Service (`MG...`), which picks the sender.
    MessagingService(String),
}

/// Everything a [`TwilioClient`] needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TwilioConfig {
    /// API host, [`DEFAULT_BASE_URL`] in production.
    pub base_url: String,
    /// Account credentials.
    pub credentials: TwilioCredentials,
    /// Sender number or Messaging Service.
    pub sender: TwilioSender,
    /// URL that receives status callbacks (`StatusCallback`), if any.
    pub status_callback: Option<String>,
}

/// Sends WhatsApp messages through `POST /2010-04-01/Accounts/{sid}/Messages.json`.
#[derive(Debug, Clone)]
pub struct TwilioClient {
    http: reqwest::Client,
    base: Url,
    config: TwilioConfig,
}

#[derive(Deserialize)]
struct MessageResource {
    sid: Option<String>,
    status: Option<String>,
    error_code: Option<i64>,
    error_message: Option<String>,
}

#[derive(Deserialize)]
struct ApiError {
    code: Option<i64>,
    message: Option<String>,
}

impl TwilioClient {
    /// Builds a client; fails on an unusable base URL or empty credentials.
    pub fn new(http: reqwest::Client, config: TwilioConfig) -> Result<Self, ConfigError> {
        let base = http::parse_base_url(&config.base_url)?;
        if config.credentials.account_sid.trim().is_empty() {
            return Err(ConfigError::Missing("account_sid"));
        }
        if config.credentials.auth_token.is_empty() {
            return Err(ConfigError::Missing("auth_token"));
        }
        Ok(Self { http, base, config })
    }

    /// The URL messages are posted to.
    pub fn messages_url(&self) -> Url {
        http::join_segments(
            &self.base,
            ["2010-04-01", "Accounts", self.config.credentials.account_sid.as_str(), "Messages.json"],
        )
    }

    /// The form fields of the request for `msg`, in the order they are sent.
    pub fn form_fields(&self, msg: &OutboundMessage) -> Result<Vec<(String, String)>, SendError> {
        let mut form = vec![("To".to_owned(), whatsapp_address(&msg.to)?)];
        match &self.config.sender {
            TwilioSender::From(from) => form.push(("From".to_owned(), whatsapp_address(from)?)),
            TwilioSender::MessagingService(sid) => {
                form.push(("MessagingServiceSid".to_owned(), sid.clone()));
            }
        }
        match msg.content_type {
            ContentType::Text => {
                let body = msg
                    .text_content()
                    .ok_or_else(|| SendError::permanent("empty_message", "text message without content"))?;
                form.push(("Body".to_owned(), body.to_owned()));
            }
            ct if ct.is_media() => {
                let url = msg
                    .media_url
                    .as_deref()
                    .filter(|u| !u.is_empty())
                    .ok_or_else(|| SendError::permanent("missing_media", "media message without media_url"))?;
                if let Some(caption) = msg.text_content() {
                    form.push(("Body".to_owned(), caption.to_owned()));
                }
                form.push(("MediaUrl".to_owned(), url.to_owned()));
            }
            ContentType::Template => {
                let template = msg
                    .template
                    .as_ref()
                    .ok_or_else(|| SendError::permanent("missing_template", "template message without template"))?;
                let vars = serde_json::to_string(&template.variables)
                    .map_err(|e| SendError::permanent("invalid_template", e.to_string()))?;
                form.push(("ContentSid".to_owned(), template.id.clone()));
                if !template.variables.is_empty() {
                    form.push(("ContentVariables".to_owned(), vars));
                }
            }
            other => return Err(SendError::unsupported("Twilio", format!("{other:?} messages"))),
        }
        if let Some(cb) = &self.config.status_callback {
            form.push(("StatusCallback".to_owned(), cb.clone()));
        }
        Ok(form)
    }
}

#[async_trait]
impl ChannelAdapter for TwilioClient {
    async fn send(&self, msg: &OutboundMessage) -> Result<SendResult, SendError> {
        let form = self.form_fields(msg)?;
        let request = self
            .http
            .post(self.messages_url())
            .basic_auth(&self.config.credentials.account_sid, Some(&self.config.credentials.auth_token))
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form);
        let response = http::execute(request).await?;
        if !response.status.is_success() {
            return Err(map_error(&response));
        }
        let resource: MessageResource = serde_json::from_slice(&response.body)
            .map_err(|e| SendError::permanent("invalid_response", format!("unreadable Twilio response: {e}")))?;
        let sid = resource
            .sid
            .filter(|s| !s.is_empty())
            .ok_or_else(|| SendError::permanent("invalid_response", "Twilio response without sid"))?;
        let status = resource.status.as_deref().and_then(map_message_status);
        if status == Some(DeliveryStatus::Failed) {
            let code = resource.error_code.map_or_else(|| "failed".to_owned(), |c| c.to_string());
            let reason = resource.error_message.unwrap_or_else(|| "Twilio reported the message as failed".to_owned());
            return Err(SendError::Permanent { code, reason });
        }
        Ok(SendResult { external_id: sid, status: DeliveryStatus::Sent })
    }
}

/// Maps a non-2xx Twilio answer (§1.3) to a [`SendError`].
fn map_error(response: &RawResponse) -> SendError {
    let parsed: Option<ApiError> = serde_json::from_slice(&response.body).ok();
    let code =
        parsed.as_ref().and_then(|e| e.code).map_or_else(|| response.status.as_u16().to_string(), |c| c.to_string());
    let message = parsed.and_then(|e| e.message).unwrap_or_else(|| http::snippet(&response.body_text()));
    let status = response.status;
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        SendError::Retryable {
            reason: format!("Twilio HTTP {} ({code}): {message}", status.as_u16()),
            retry_after: http::retry_after(&response.headers),
        }
    } else if status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN {
        SendError::Auth { reason: format!("Twilio {code}: {message}") }
    } else {
        SendError::Permanent { code, reason: message }
    }
}

/// `whatsapp:+<digits>` from a phone in E.164, bare digits or already prefixed.
fn whatsapp_address(raw: &str) -> Result<String, SendError> {
    let raw = raw.trim();
    let number = raw.strip_prefix("whatsapp:").unwrap_or(raw);
    let digits: String = number.chars().filter(|c| !matches!(c, '+' | ' ' | '-' | '(' | ')' | '.')).collect();
    let plus_ok = number.rfind('+').is_none_or(|i| i == 0);
    if digits.is_empty() || digits.len() > 15 || !plus_ok || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SendError::permanent("invalid_recipient", format!("`{raw}` is not a phone number")));
    }
    Ok(format!("whatsapp:+{digits}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whatsapp_addresses() {
        assert_eq!(whatsapp_address("+5511987654321").unwrap(), "whatsapp:+5511987654321");
        assert_eq!(whatsapp_address("5511987654321").unwrap(), "whatsapp:+5511987654321");
        assert_eq!(whatsapp_address("whatsapp:+5511987654321").unwrap(), "whatsapp:+5511987654321");
        assert_eq!(whatsapp_address("+55 (11) 98765-4321").unwrap(), "whatsapp:+5511987654321");
        assert!(whatsapp_address("maria").is_err());
        assert!(whatsapp_address("").is_err());
        assert!(whatsapp_address("55+11").is_err());
    }

    #[test]
    fn credentials_debug_hides_token() {
        let c = TwilioCredentials { account_sid: "AC1".into(), auth_token: "supersecret".into() };
        let s = format!("{c:?}");
        assert!(s.contains("AC1"));
        assert!(!s.contains("supersecret"));
    }

    #[test]
    fn rejects_bad_config() {
        let config = TwilioConfig {
            base_url: "nope".into(),
            credentials: TwilioCredentials { account_sid: "AC1".into(), auth_token: "t".into() },
            sender: TwilioSender::From("+1".into()),
            status_callback: None,
        };
        assert!(matches!(
            TwilioClient::new(reqwest::Client::new(), config.clone()),
            Err(ConfigError::InvalidBaseUrl(_))
        ));
        let config = TwilioConfig {
            base_url: DEFAULT_BASE_URL.into(),
            credentials: TwilioCredentials { account_sid: " ".into(), auth_token: "t".into() },
            ..config
        };
        assert!(matches!(TwilioClient::new(reqwest::Client::new(), config), Err(ConfigError::Missing("account_sid"))));
    }
}
