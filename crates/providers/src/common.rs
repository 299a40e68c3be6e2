//! Normalized types shared by every provider adapter.
//!
//! Webhook parsers turn a provider payload into [`InboundEvent`]s; clients take an
//! [`OutboundMessage`] and return a [`SendResult`] or a [`SendError`] that tells
//! the caller whether a retry can help.

use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The network a sender identity belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SenderKind {
    /// A plain phone number (SMS-style sender).
    #[serde(rename = "PHONE")]
    Phone,
    /// A WhatsApp user; `id` is the WhatsApp id (country code + number, digits only).
    #[serde(rename = "WHATSAPP")]
    WhatsApp,
    /// An Instagram user; `id` is the Instagram-scoped id (IGSID).
    #[serde(rename = "INSTAGRAM")]
    Instagram,
    /// A Messenger user; `id` is the page-scoped id (PSID).
    #[serde(rename = "FACEBOOK")]
    Facebook,
}

/// Who the customer on the other side of a conversation is.
///
/// For messages sent from the business side (echoes, Z-API `fromMe`), this still
/// identifies the *customer*, i.e. the recipient of that message, so the server
/// can always find the conversation from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SenderIdentity {
    /// Which network `id` belongs to.
    pub kind: SenderKind,
    /// Provider-stable id of the customer (WhatsApp id, PSID, IGSID).
    pub id: String,
    /// Display name when the payload carries one (WhatsApp profile name).
    pub display_name: Option<String>,
    /// Phone in E.164 form (`+5511987654321`) when known.
    pub phone: Option<String>,
}

/// Kind of content a message carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ContentType {
    /// Plain text (also button and quick-reply answers).
    Text,
    /// Image attachment.
    Image,
    /// Video attachment.
    Video,
    /// Audio or voice note.
    Audio,
    /// Any other file (document).
    File,
    /// A shared location (see [`InboundMessage::location`]).
    Location,
    /// A sticker.
    Sticker,
    /// A provider template (WhatsApp template, Meta template attachment).
    Template,
    /// Content this platform cannot represent; `raw_type` says what it was.
    Unsupported,
}

impl ContentType {
    /// Media kind implied by a MIME type (`image/jpeg` → `Image`, unknown → `File`).
    pub fn from_mime(mime: &str) -> Self {
        let top = mime.split('/').next().unwrap_or_default().trim();
        match top.to_ascii_lowercase().as_str() {
            "image" => Self::Image,
            "video" => Self::Video,
            "audio" => Self::Audio,
            _ => Self::File,
        }
    }

    /// Whether this kind is sent as a media attachment.
    pub fn is_media(self) -> bool {
        matches!(self, Self::Image | Self::Video | Self::Audio | Self::File | Self::Sticker)
    }
}

/// A media attachment of an inbound message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    /// Where the media can be downloaded (may need provider auth or expire).
    pub url: String,
    /// MIME type when the provider reports it.
    pub mime_type: Option<String>,
    /// Original file name when known.
    pub filename: Option<String>,
    /// Size in bytes when known.
    pub size: Option<u64>,
}

/// A shared geographic location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Latitude in decimal degrees.
    pub lat: f64,
    /// Longitude in decimal degrees.
    pub lng: f64,
    /// Label / place name.
    pub name: Option<String>,
    /// Street address.
    pub address: Option<String>,
}

/// A message received from (or, when `is_echo`, sent by the business to) a customer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboundMessage {
    /// Provider message id, unique per channel (Twilio `MessageSid`, Meta `mid`,
    /// Z-API `messageId`): the idempotency key.
    pub external_id: String,
    /// The customer (see [`SenderIdentity`] for echoes).
    pub from: SenderIdentity,
    /// The business side's address when the payload names it (our WhatsApp number,
    /// page id or Instagram account id).
    pub channel_account: Option<String>,
    /// Text body or caption.
    pub content: Option<String>,
    /// Normalized kind of the message.
    pub content_type: ContentType,
    /// Media attachments, in provider order.
    pub attachments: Vec<Attachment>,
    /// Shared location, for `ContentType::Location`.
    pub location: Option<Location>,
    /// When the provider says the message was sent.
    pub timestamp: Option<DateTime<Utc>>,
    /// Sent from the business side (Meta echo, Z-API `fromMe`): store it as an
    /// outgoing message, never as customer input.
    pub is_echo: bool,
    /// Provider id of the message this one replies to / quotes.
    pub reply_to: Option<String>,
    /// The provider's own name for the message kind, for logs and debugging.
    pub raw_type: Option<String>,
    /// Who wrote it inside a group conversation (`from` is then the group).
    #[serde(default)]
    pub participant: Option<Participant>,
}

/// The member of a group who wrote a group message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Participant {
    /// Their phone, digits only.
    pub phone: Option<String>,
    /// Their WhatsApp name.
    pub name: Option<String>,
}

/// Delivery state of an outgoing message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DeliveryStatus {
    /// Accepted by the provider / handed to the network.
    Sent,
    /// Delivered to the recipient's device.
    Delivered,
    /// Read (or played) by the recipient.
    Read,
    /// Will not be delivered.
    Failed,
}

impl DeliveryStatus {
    /// Whether moving from `current` to `self` is progress. Callbacks arrive out
    /// of order, so a message must never go back (e.g. `Delivered` after `Read`).
    /// `Failed` only replaces `Sent` (or nothing).
    pub fn advances(self, current: Option<DeliveryStatus>) -> bool {
        let Some(current) = current else {
            return true;
        };
        match (current, self) {
            (DeliveryStatus::Failed, _) => false,
            (DeliveryStatus::Sent, DeliveryStatus::Failed) => true,
            (_, DeliveryStatus::Failed) => false,
            (c, s) => s.rank() > c.rank(),
        }
    }

    fn rank(self) -> u8 {
        match self {
            DeliveryStatus::Sent => 1,
            DeliveryStatus::Delivered => 2,
            DeliveryStatus::Read => 3,
            DeliveryStatus::Failed => 0,
        }
    }
}

/// A provider-reported error attached to a status update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderError {
    /// Provider error code (e.g. Twilio `63016`).
    pub code: String,
    /// Human-readable reason.
    pub message: String,
}

/// A status change of one outgoing message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusUpdate {
    /// Provider id of the outgoing message (as returned in [`SendResult`]).
    pub external_id: String,
    /// New status.
    pub status: DeliveryStatus,
    /// Why it failed, for `Failed`.
    pub error: Option<ProviderError>,
    /// When the provider says it happened.
    pub timestamp: Option<DateTime<Utc>>,
}

/// "Every message sent to this customer up to `watermark` reached `status`".
///
/// Meta `read` events (and `delivery` events without `mids`) carry no message
/// ids, only a watermark time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatermarkUpdate {
    /// The customer (PSID / IGSID) the messages were sent to.
    pub contact_id: String,
    /// `Delivered` or `Read`.
    pub status: DeliveryStatus,
    /// Messages created at or before this instant are covered.
    pub watermark: DateTime<Utc>,
}

/// Connection state change of a channel (Z-API instance).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionEvent {
    /// True when the number is connected.
    pub connected: bool,
    /// The connected phone number, when reported.
    pub phone: Option<String>,
    /// Provider message on disconnection.
    pub error: Option<String>,
    /// When it happened.
    pub timestamp: Option<DateTime<Utc>>,
}

/// One normalized event extracted from a provider webhook.
// Not boxed: a handful per webhook, and plain matching keeps callers simple.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum InboundEvent {
    /// A message from a customer, or an echo of one sent by the business.
    Message(InboundMessage),
    /// A status change of one outgoing message.
    Status(StatusUpdate),
    /// A status change of every outgoing message up to a time (Meta).
    Watermark(WatermarkUpdate),
    /// Channel connected / disconnected (Z-API).
    Connection(ConnectionEvent),
    /// Understood but not relevant (reason for logs): reactions, group chats,
    /// transitional statuses, unknown event kinds.
    Ignored(String),
}

/// A provider template reference (Twilio `ContentSid` + `ContentVariables`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    /// Template id (`HX...` for Twilio).
    pub id: String,
    /// Placeholder → value (`{"1": "Maria"}`).
    pub variables: BTreeMap<String, String>,
}

/// A message to send to a customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboundMessage {
    /// Recipient: phone (E.164 or digits) for WhatsApp, PSID / IGSID for Meta.
    pub to: String,
    /// Text, or the caption of a media message.
    pub content: Option<String>,
    /// What is being sent.
    pub content_type: ContentType,
    /// Public URL of the media for media messages.
    pub media_url: Option<String>,
    /// File name for documents.
    pub filename: Option<String>,
    /// Template for `ContentType::Template` (Twilio only).
    pub template: Option<Template>,
    /// Provider id of a message to quote (Z-API only; ignored elsewhere).
    pub reply_to: Option<String>,
    /// Meta only: the 24-hour window is closed, send as `MESSAGE_TAG` with the
    /// `HUMAN_AGENT` tag (allowed up to 7 days, human replies only).
    pub human_agent_tag: bool,
}

impl OutboundMessage {
    /// A text message.
    pub fn text(to: impl Into<String>, body: impl Into<String>) -> Self {
        Self {
            to: to.into(),
            content: Some(body.into()),
            content_type: ContentType::Text,
            media_url: None,
            filename: None,
            template: None,
            reply_to: None,
            human_agent_tag: false,
        }
    }

    /// A media message (image, video, audio, file, sticker) from a public URL.
    pub fn media(to: impl Into<String>, content_type: ContentType, url: impl Into<String>) -> Self {
        Self { content: None, content_type, media_url: Some(url.into()), ..Self::text(to, "") }
    }

    /// A template message.
    pub fn template(to: impl Into<String>, template: Template) -> Self {
        Self { content: None, content_type: ContentType::Template, template: Some(template), ..Self::text(to, "") }
    }

    /// Sets the caption of a media message.
    pub fn with_caption(mut self, caption: impl Into<String>) -> Self {
        self.content = Some(caption.into());
        self
    }

    /// Sets the file name of a document.
    pub fn with_filename(mut self, filename: impl Into<String>) -> Self {
        self.filename = Some(filename.into());
        self
    }

    /// Quotes another message (Z-API).
    pub fn with_reply_to(mut self, external_id: impl Into<String>) -> Self {
        self.reply_to = Some(external_id.into());
        self
    }

    /// Sends with Meta's `HUMAN_AGENT` tag (outside the 24-hour window).
    pub fn with_human_agent_tag(mut self) -> Self {
        self.human_agent_tag = true;
        self
    }

    /// The text content, treating an empty string as absent.
    pub(crate) fn text_content(&self) -> Option<&str> {
        self.content.as_deref().filter(|s| !s.is_empty())
    }
}

/// What a provider answered to a successful send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendResult {
    /// Provider message id; later status updates refer to it.
    pub external_id: String,
    /// Status right after sending (normally `Sent`).
    pub status: DeliveryStatus,
}

/// Why a provider request failed, classified for the retry policy.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Try again later: rate limit (429 or provider rate-limit code), 5xx,
    /// timeout or connection error. The request was not (known to be) processed.
    #[error("temporary provider failure: {reason}")]
    Retryable {
        /// What happened.
        reason: String,
        /// Provider-requested delay (`Retry-After` and similar), when given.
        retry_after: Option<Duration>,
    },
    /// Will fail again: invalid recipient, outside the messaging window,
    /// unsupported content, malformed request.
    #[error("provider rejected the request ({code}): {reason}")]
    Permanent {
        /// Provider error code (or the HTTP status, or a local code such as
        /// `unsupported_content`).
        code: String,
        /// Provider's message.
        reason: String,
    },
    /// Credentials missing, invalid or expired: fix the channel configuration.
    #[error("provider authentication failed: {reason}")]
    Auth {
        /// Provider's message.
        reason: String,
    },
}

impl SendError {
    /// Whether retrying the same request later can succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, SendError::Retryable { .. })
    }

    /// The provider-requested delay before a retry, if any.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            SendError::Retryable { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// The provider error code of a permanent failure.
    pub fn code(&self) -> Option<&str> {
        match self {
            SendError::Permanent { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The human-readable reason, whatever the kind.
    pub fn reason(&self) -> &str {
        match self {
            SendError::Retryable { reason, .. } | SendError::Permanent { reason, .. } | SendError::Auth { reason } => {
                reason
            }
        }
    }

    /// Whether the provider refused because the customer-service window is
    /// closed (Twilio 63016, Meta 10/2018278). A template or the Meta
    /// `HUMAN_AGENT` tag is needed.
    pub fn is_outside_window(&self) -> bool {
        matches!(self.code(), Some("63016" | "10/2018278"))
    }

    pub(crate) fn permanent(code: impl Into<String>, reason: impl Into<String>) -> Self {
        SendError::Permanent { code: code.into(), reason: reason.into() }
    }

    pub(crate) fn unsupported(provider: &str, what: impl std::fmt::Display) -> Self {
        SendError::permanent("unsupported_content", format!("{provider} cannot send {what}"))
    }
}

/// A webhook payload that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not valid JSON / not the expected shape.
    #[error("invalid payload: {0}")]
    Invalid(String),
    /// A required field is absent or empty.
    #[error("missing field `{0}`")]
    MissingField(&'static str),
    /// A field has a value of the wrong format.
    #[error("invalid value for `{field}`: {value}")]
    InvalidField {
        /// Field name on the wire.
        field: &'static str,
        /// The offending value.
        value: String,
    },
}

impl From<serde_json::Error> for ParseError {
    fn from(e: serde_json::Error) -> Self {
        ParseError::Invalid(e.to_string())
    }
}

/// A client could not be built from its configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// The base URL is not an absolute http(s) URL.
    #[error("invalid base URL `{0}`")]
    InvalidBaseUrl(String),
    /// A required setting is empty.
    #[error("missing setting `{0}`")]
    Missing(&'static str),
}

/// One messaging provider able to send to a customer. Implemented by
/// [`crate::twilio::TwilioClient`], [`crate::meta::MetaClient`] and
/// [`crate::zapi::ZapiClient`].
#[async_trait]
pub trait ChannelAdapter: Send + Sync {
    /// Sends one message. Never retries by itself: the caller's job queue does,
    /// guided by [`SendError::is_retryable`] and [`SendError::retry_after`].
    async fn send(&self, msg: &OutboundMessage) -> Result<SendResult, SendError>;
}

/// Converts an epoch number to an instant, accepting seconds or milliseconds
/// (providers mix both; anything below 10^11 is taken as seconds, i.e. before
/// the year 5138 in seconds or before 1973 in milliseconds).
pub(crate) fn epoch_to_datetime(n: i64) -> Option<DateTime<Utc>> {
    // unsigned_abs: i64::MIN has no positive counterpart (a fuzzed `momment` found it).
    if n.unsigned_abs() < 100_000_000_000 { DateTime::from_timestamp(n, 0) } else { DateTime::from_timestamp_millis(n) }
}

/// Constant-time equality of two byte strings (length is not secret).
pub(crate) fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// `+` followed by the digits of a WhatsApp id / phone, when it is one.
pub(crate) fn e164_from_digits(raw: &str) -> Option<String> {
    let digits = raw.strip_prefix('+').unwrap_or(raw);
    (!digits.is_empty() && digits.len() <= 15 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| format!("+{digits}"))
}

pub(crate) fn non_empty(s: Option<&str>) -> Option<String> {
    s.map(str::trim).filter(|s| !s.is_empty()).map(ToOwned::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_never_moves_backwards() {
        use DeliveryStatus::*;
        assert!(Sent.advances(None));
        assert!(Delivered.advances(Some(Sent)));
        assert!(Read.advances(Some(Delivered)));
        assert!(Read.advances(Some(Sent)));
        assert!(!Delivered.advances(Some(Read)));
        assert!(!Sent.advances(Some(Delivered)));
        assert!(!Read.advances(Some(Read)));
        assert!(Failed.advances(Some(Sent)));
        assert!(!Failed.advances(Some(Read)));
        assert!(!Delivered.advances(Some(Failed)));
    }

    #[test]
    fn epoch_accepts_seconds_and_millis() {
        let s = epoch_to_datetime(1_767_225_600).unwrap();
        let ms = epoch_to_datetime(1_767_225_600_000).unwrap();
        assert_eq!(s, ms);
        assert_eq!(s.to_rfc3339(), "2026-01-01T00:00:00+00:00");
    }

    #[test]
    fn mime_to_content_type() {
        assert_eq!(ContentType::from_mime("image/jpeg"), ContentType::Image);
        assert_eq!(ContentType::from_mime("VIDEO/mp4"), ContentType::Video);
        assert_eq!(ContentType::from_mime("audio/ogg; codecs=opus"), ContentType::Audio);
        assert_eq!(ContentType::from_mime("application/pdf"), ContentType::File);
        assert_eq!(ContentType::from_mime(""), ContentType::File);
    }

    #[test]
    fn send_error_helpers() {
        let r = SendError::Retryable { reason: "429".into(), retry_after: Some(Duration::from_secs(3)) };
        assert!(r.is_retryable());
        assert_eq!(r.retry_after(), Some(Duration::from_secs(3)));
        let p = SendError::permanent("63016", "outside window");
        assert!(!p.is_retryable());
        assert!(p.is_outside_window());
        assert_eq!(p.code(), Some("63016"));
        let a = SendError::Auth { reason: "bad token".into() };
        assert!(!a.is_retryable());
        assert_eq!(a.reason(), "bad token");
        assert!(!a.is_outside_window());
    }

    #[test]
    fn e164() {
        assert_eq!(e164_from_digits("5511987654321").as_deref(), Some("+5511987654321"));
        assert_eq!(e164_from_digits("+5511987654321").as_deref(), Some("+5511987654321"));
        assert_eq!(e164_from_digits("81896604192873@lid"), None);
        assert_eq!(e164_from_digits(""), None);
    }

    #[test]
    fn ct_eq_compares_content_and_length() {
        assert!(ct_eq(b"abc", b"abc"));
        assert!(!ct_eq(b"abc", b"abd"));
        assert!(!ct_eq(b"abc", b"abcd"));
    }
}

#[cfg(test)]
mod epoch_tests {
    use super::epoch_to_datetime;

    #[test]
    fn extreme_epochs_do_not_panic() {
        assert!(epoch_to_datetime(i64::MIN).is_none());
        assert!(epoch_to_datetime(i64::MAX).is_none());
        assert_eq!(epoch_to_datetime(1_700_000_000).unwrap().timestamp(), 1_700_000_000);
        assert_eq!(epoch_to_datetime(1_700_000_000_123).unwrap().timestamp_millis(), 1_700_000_000_123);
    }
}
