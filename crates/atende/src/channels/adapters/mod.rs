//! Provider adapters, one per channel type, behind one trait that covers the whole
//! provider: what a channel of the type needs (account id, credentials, settings),
//! inbound webhooks (verify before anything is parsed, then parse once into
//! `Normalized` events with statuses mapped), and outbound sends. Adapters translate
//! and call the provider; they never touch the database (`webhooks` stores what they
//! parse, the delivery job records what they send). The provider wire formats,
//! signatures and HTTP clients live in the `providers` crate.

/// Generic API channel (signed callback).
pub mod api;
/// Messenger and Instagram (Send API).
pub mod meta;
/// WhatsApp through Twilio.
pub mod twilio;
/// WhatsApp through Z-API.
pub mod zapi;

use std::sync::OnceLock;

use async_trait::async_trait;
pub use providers::SendError;
use providers::{ContentType as WireContentType, InboundEvent, InboundMessage, OutboundMessage, SenderKind};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{
    credentials, entity,
    model::{ChannelType, ChannelView},
};
use crate::{
    config::Config,
    contacts::model::IdentityKind,
    error::{AppError, AppResult},
    inbox::model::{AttachmentRef, ContentType, Inbound},
    state::AppState,
    webhooks::model::{Normalized, Parsed, Refusal, Webhook},
};

/// A file to send, with a URL the provider can fetch.
#[derive(Debug, Clone)]
pub struct OutboundMedia {
    /// Absolute, publicly fetchable URL.
    pub url: String,
    /// MIME type, when known.
    pub mime_type: Option<String>,
    /// Original file name, when known.
    pub file_name: Option<String>,
}

/// Everything an adapter needs to deliver one agent message.
pub struct Delivery<'a> {
    /// The channel row (type, account id, connection state, settings).
    pub channel: &'a entity::Model,
    /// The channel's webhook secret (the API channel signs callbacks with it).
    pub secret: &'a [u8],
    /// Decrypted provider credentials (`{"env"}` references resolved), when the channel has any.
    pub credentials: Option<&'a Value>,
    /// REST shapes of the message, its conversation and contact.
    pub message: &'a Value,
    /// REST shape of the conversation (`lastIncomingAt` drives Meta's window).
    pub conversation: &'a Value,
    /// REST shape of the contact, with its identities.
    pub contact: &'a Value,
    /// The message's attachments as provider-fetchable URLs.
    pub media: &'a [OutboundMedia],
}

/// What the provider answered.
#[derive(Debug, Clone, Default)]
pub struct SendOutcome {
    /// Provider message id, when it gives one.
    pub external_id: Option<String>,
}

/// Provider-specific settings a create or update may carry (in the channel's `settings`).
#[derive(Debug, Clone, Default)]
pub struct SettingsPatch {
    /// Twilio: the WhatsApp sender, `+E164` (empty clears it).
    pub phone_number: Option<String>,
    /// Twilio: a Messaging Service SID (empty clears it).
    pub messaging_service_sid: Option<String>,
    /// Z-API: whether group chats become conversations.
    pub include_groups: Option<bool>,
}

/// A channel's secrets, decrypted only when an adapter asks for them (once each).
pub struct ChannelKeys<'a> {
    state: &'a AppState,
    channel: &'a entity::Model,
    secret: OnceLock<Vec<u8>>,
    credentials: OnceLock<Option<Value>>,
}

impl<'a> ChannelKeys<'a> {
    /// The keys of a channel (nothing is decrypted yet).
    pub fn new(state: &'a AppState, channel: &'a entity::Model) -> Self {
        ChannelKeys { state, channel, secret: OnceLock::new(), credentials: OnceLock::new() }
    }

    /// The channel's webhook secret in clear (API signatures, the Z-API URL secret).
    pub fn webhook_secret(&self) -> AppResult<&[u8]> {
        if let Some(secret) = self.secret.get() {
            return Ok(secret);
        }
        let clear = super::service::webhook_secret(self.state, self.channel)?;
        Ok(self.secret.get_or_init(|| clear))
    }

    /// The channel's credentials, decrypted with `{"env"}` fields resolved.
    pub fn credentials(&self) -> AppResult<Option<&Value>> {
        if let Some(resolved) = self.credentials.get() {
            return Ok(resolved.as_ref());
        }
        let resolved = credentials::resolve(self.state, self.channel)?;
        Ok(self.credentials.get_or_init(|| resolved).as_ref())
    }

    /// One credential field as text (empty when absent).
    pub fn credential(&self, name: &str) -> AppResult<&str> {
        Ok(self.credentials()?.and_then(|c| credentials::field(c, name)).unwrap_or(""))
    }
}

/// What a QR pairing request found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PairingQr {
    /// An image to scan (`data:` URL or bare base64), valid for about 20 seconds.
    Image(String),
    /// The number is already paired: nothing to scan.
    AlreadyConnected,
}

/// The live state of a paired number, as the provider reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairingStatus {
    /// The session is up.
    pub connected: bool,
    /// The phone itself is online.
    pub smartphone_connected: bool,
    /// The provider's explanation, when not connected.
    pub error: Option<String>,
}

/// A number paired by QR code (WhatsApp Web style): the provider calls the pairing
/// lifecycle (`channels::connection`) needs.
#[async_trait]
pub trait Pairing: Send + Sync {
    /// A QR code to scan, or "already connected".
    async fn qr_code(&self) -> Result<PairingQr, SendError>;
    /// The live connection state.
    async fn status(&self) -> Result<PairingStatus, SendError>;
    /// Unlinks the number.
    async fn disconnect(&self) -> Result<(), SendError>;
    /// Restarts the provider's session.
    async fn restart(&self) -> Result<(), SendError>;
    /// Points every provider webhook at `url`, echoes of the business's own sends included.
    async fn register_webhooks(&self, url: &str) -> Result<(), SendError>;
}

/// One kind of channel, end to end.
#[async_trait]
pub trait Adapter: Send + Sync {
    /// The provider's name in stored deliveries and metrics (`api`, `twilio`, `zapi`, `meta`).
    fn provider(&self) -> &'static str;

    /// Checks the external account id a channel of this type is created with.
    fn validate_account_id(&self, _account_id: Option<&str>) -> AppResult<()> {
        Ok(())
    }

    /// Checks a whole credentials object (updates replace it).
    fn validate_credentials(&self, _credentials: Option<&Value>) -> AppResult<()> {
        Ok(())
    }

    /// The `settings` JSON after a patch of provider options (`current` on updates).
    fn settings(&self, current: Option<&Value>, patch: &SettingsPatch) -> AppResult<Option<Value>> {
        no_settings(current, patch)
    }

    /// The connection state of a new channel (a QR-paired number starts `pending`).
    fn initial_connection_status(&self) -> &'static str {
        "connected"
    }

    /// Fills the provider-specific parts of a channel's view; `secret` is the webhook
    /// secret when it may be shown (creation).
    fn describe(&self, _channel: &entity::Model, _secret: Option<&str>, _view: &mut ChannelView) {}

    /// Authenticates a webhook for `channel` before anything in it is trusted.
    fn verify(&self, channel: &entity::Model, hook: &Webhook<'_>, keys: &ChannelKeys<'_>) -> Result<(), Refusal>;

    /// Parses a verified (or stored) delivery once: the events addressed to `channel`,
    /// statuses mapped, and the key a redelivery has too.
    fn parse(&self, channel: &entity::Model, hook: &Webhook<'_>) -> AppResult<Parsed>;

    /// A subscription handshake (`GET` on the webhook URL): the answer, if the query is
    /// a valid one for this channel.
    fn handshake(&self, _query: &[(String, String)], _keys: &ChannelKeys<'_>) -> AppResult<Option<String>> {
        Ok(None)
    }

    /// The channel types and account ids a delivery to a shared URL is addressed to
    /// (parsed only for routing, never trusted: each channel still verifies it).
    fn account_ids(&self, _body: &[u8]) -> AppResult<Vec<(ChannelType, String)>> {
        Ok(Vec::new())
    }

    /// A new customer's display name, when the provider gives none with a message
    /// (best effort, bounded by `timeout`).
    async fn profile_name(
        &self,
        _channel: &entity::Model,
        _keys: &ChannelKeys<'_>,
        _user_id: &str,
        _timeout: std::time::Duration,
    ) -> Option<String> {
        None
    }

    /// Whether channels of this type are paired by QR code (`pairing` gives the calls).
    fn pairs_by_qr(&self) -> bool {
        false
    }

    /// The pairing calls for a channel (its resolved credentials), when the type pairs
    /// by QR code.
    fn pairing(
        &self,
        _channel: &entity::Model,
        _credentials: Option<&Value>,
    ) -> Option<Result<Box<dyn Pairing>, SendError>> {
        None
    }

    /// Whether `profile_name` is worth asking for a message without a name.
    fn looks_up_profile_names(&self) -> bool {
        false
    }

    /// Delivers one message; never retries by itself (the job queue does).
    async fn send(&self, delivery: &Delivery<'_>) -> Result<SendOutcome, SendError>;
}

/// Settings of a type that has no provider options: any option is refused.
fn no_settings(current: Option<&Value>, patch: &SettingsPatch) -> AppResult<Option<Value>> {
    if patch.phone_number.is_some() || patch.messaging_service_sid.is_some() {
        let field = if patch.phone_number.is_some() { "phoneNumber" } else { "messagingServiceSid" };
        return Err(AppError::field(field, "is only used by WHATSAPP_TWILIO channels"));
    }
    if patch.include_groups.is_some() {
        return Err(AppError::field("includeGroups", "is only used by WHATSAPP_ZAPI channels"));
    }
    Ok(current.cloned())
}

/// Provider hosts and our own public URL, from the configuration.
#[derive(Debug, Clone)]
pub struct Endpoints {
    /// Twilio REST host.
    pub twilio_base_url: String,
    /// Meta Graph host.
    pub meta_graph_base_url: String,
    /// Graph version segment (`v25.0`).
    pub meta_graph_version: String,
    /// Z-API host.
    pub zapi_base_url: String,
    /// Our public base URL (Twilio status callbacks point at it).
    pub public_url: String,
    /// Tenant-supplied URLs may reach private addresses (`ATENDE_OUTBOUND_ALLOW_PRIVATE`).
    pub outbound_allow_private: bool,
}

impl Endpoints {
    /// The endpoints a configuration names.
    pub fn from_config(config: &Config) -> Self {
        Endpoints {
            twilio_base_url: config.twilio_base_url.trim().to_string(),
            meta_graph_base_url: config.meta_graph_base_url.trim().to_string(),
            meta_graph_version: config.meta_graph_version.trim().to_string(),
            zapi_base_url: config.zapi_base_url.trim().to_string(),
            public_url: config.public_url(),
            outbound_allow_private: config.outbound_allow_private,
        }
    }
}

/// Builds a type's adapter: provider APIs through `http`, tenant-supplied URLs (the API
/// channel's callback) through `outbound`, which refuses non-public addresses.
pub fn build(
    channel_type: ChannelType,
    http: &reqwest::Client,
    outbound: &reqwest::Client,
    endpoints: &Endpoints,
) -> Box<dyn Adapter> {
    match channel_type {
        ChannelType::Api => Box::new(api::ApiAdapter::new(outbound.clone(), endpoints.outbound_allow_private)),
        ChannelType::WhatsappTwilio => Box::new(twilio::TwilioAdapter::new(http.clone(), endpoints.clone())),
        ChannelType::WhatsappZapi => Box::new(zapi::ZapiAdapter::new(http.clone(), endpoints.clone())),
        ChannelType::FacebookMessenger | ChannelType::Instagram => {
            Box::new(meta::MetaAdapter::new(http.clone(), endpoints.clone(), channel_type))
        }
    }
}

/// The adapter for a channel type, with the server's HTTP client and provider hosts.
pub fn of_type(state: &AppState, channel_type: ChannelType) -> Box<dyn Adapter> {
    build(channel_type, &state.http, &state.outbound, &Endpoints::from_config(&state.config))
}

/// The adapter for a channel row.
pub fn of_channel(state: &AppState, channel: &entity::Model) -> AppResult<Box<dyn Adapter>> {
    let channel_type = ChannelType::parse(&channel.channel_type)
        .ok_or_else(|| AppError::field("type", format!("unknown channel type {}", channel.channel_type)))?;
    Ok(of_type(state, channel_type))
}

/// Typed credentials from a credentials object that a type requires.
pub(crate) fn required_credentials<T: for<'de> Deserialize<'de>>(
    channel_type: ChannelType,
    credentials: Option<&Value>,
) -> AppResult<T> {
    let value = match credentials {
        Some(v @ Value::Object(_)) => v,
        Some(_) => return Err(AppError::field("credentials", "must be an object")),
        None => {
            return Err(AppError::field("credentials", format!("are required for {} channels", channel_type.as_str())));
        }
    };
    serde_json::from_value(value.clone()).map_err(|e| AppError::Validation {
        message: format!("credentials: {e}"),
        details: json!({ "credentials": [e.to_string()] }),
    })
}

/// An account id check: `ok`, or a validation error saying `what` it must be.
pub(crate) fn check_account_id(ok: bool, what: &str) -> AppResult<()> {
    if ok { Ok(()) } else { Err(AppError::field("accountId", what)) }
}

/// A provider's payload that could not be read.
pub(crate) fn unparseable(e: impl std::fmt::Display) -> AppError {
    AppError::field("body", e.to_string())
}

/// The dedupe key of a provider delivery: what it is about (`message:<id>`,
/// `status:<id>:<status>`, `watermark:<user>:<status>:<ms>`, `connection:…`), so a
/// redelivery of the same event is acknowledged and dropped. Several events make a
/// `batch:` hash of their keys; a delivery with nothing identifiable is keyed by a hash
/// of its bytes. Keys fit the 200-character column.
pub fn event_key(events: &[InboundEvent], raw: &[u8]) -> String {
    let keys: Vec<String> = events
        .iter()
        .filter_map(|e| match e {
            InboundEvent::Message(m) => Some(format!("message:{}", m.external_id)),
            InboundEvent::Status(s) => Some(format!("status:{}:{:?}", s.external_id, s.status).to_lowercase()),
            InboundEvent::Watermark(w) => Some(
                format!("watermark:{}:{:?}:{}", w.contact_id, w.status, w.watermark.timestamp_millis()).to_lowercase(),
            ),
            InboundEvent::Connection(c) => {
                c.timestamp.map(|t| format!("connection:{}:{}", c.connected, t.timestamp_millis()))
            }
            InboundEvent::Ignored(_) => None,
        })
        .collect();
    let key = match keys.as_slice() {
        [] => format!("raw:{}", hex::encode(Sha256::digest(raw))),
        [one] => one.clone(),
        many => format!("batch:{}", hex::encode(Sha256::digest(many.join("\n").as_bytes()))),
    };
    if key.len() > 200 { format!("sha:{}", hex::encode(Sha256::digest(key.as_bytes()))) } else { key }
}

/// Provider events as a parsed delivery for a channel (keyed by `event_key`).
pub(crate) fn parsed(channel_type: ChannelType, provider: &str, raw: &[u8], events: Vec<InboundEvent>) -> Parsed {
    let event_key = event_key(&events, raw);
    let events = events
        .into_iter()
        .map(|event| match event {
            InboundEvent::Message(m) => Normalized::Message(to_inbound(channel_type, provider, m)),
            InboundEvent::Status(s) => Normalized::Status(s),
            InboundEvent::Watermark(w) => Normalized::Watermark(w),
            InboundEvent::Connection(c) => Normalized::Connection(c),
            InboundEvent::Ignored(reason) => Normalized::Ignored { reason },
        })
        .collect();
    Parsed { event_key, events }
}

/// The identity kind of a customer on a channel.
pub fn identity_kind(channel_type: ChannelType, sender: SenderKind) -> IdentityKind {
    match channel_type {
        ChannelType::FacebookMessenger => IdentityKind::Facebook,
        ChannelType::Instagram => IdentityKind::Instagram,
        _ => match sender {
            SenderKind::WhatsApp => IdentityKind::Whatsapp,
            SenderKind::Phone => IdentityKind::Phone,
            SenderKind::Instagram => IdentityKind::Instagram,
            SenderKind::Facebook => IdentityKind::Facebook,
        },
    }
}

/// The identity kind of the customer a read/delivery watermark is about.
pub fn watermark_identity_kind(channel_type: ChannelType) -> IdentityKind {
    identity_kind(channel_type, SenderKind::Facebook)
}

fn content_type_of(wire: WireContentType) -> ContentType {
    match wire {
        WireContentType::Text | WireContentType::Unsupported => ContentType::Text,
        WireContentType::Image => ContentType::Image,
        WireContentType::Video => ContentType::Video,
        WireContentType::Audio => ContentType::Audio,
        WireContentType::File => ContentType::File,
        WireContentType::Location => ContentType::Location,
        WireContentType::Sticker => ContentType::Sticker,
        WireContentType::Template => ContentType::Template,
    }
}

/// A provider's normalized message as the inbox's `Inbound`.
pub fn to_inbound(channel_type: ChannelType, provider: &str, m: InboundMessage) -> Inbound {
    let kind = identity_kind(channel_type, m.from.kind);
    // WhatsApp and phone identities are the number in E.164 (shared across channels);
    // Meta ids are page-scoped and stay as given.
    let identity_value = match kind {
        // A group is known by its id as the provider writes it (`…-group`).
        IdentityKind::Whatsapp if m.participant.is_some() => m.from.id.clone(),
        IdentityKind::Whatsapp | IdentityKind::Phone => {
            m.from.phone.clone().unwrap_or_else(|| format!("+{}", m.from.id.trim_start_matches('+')))
        }
        _ => m.from.id.clone(),
    };
    let mut metadata = serde_json::Map::new();
    metadata.insert("provider".into(), json!(provider));
    if let Some(raw_type) = &m.raw_type {
        metadata.insert("rawType".into(), json!(raw_type));
    }
    if let Some(location) = &m.location {
        metadata.insert(
            "location".into(),
            json!({"lat": location.lat, "lng": location.lng, "name": location.name, "address": location.address}),
        );
    }
    if let Some(reply_to) = &m.reply_to {
        metadata.insert("replyTo".into(), json!(reply_to));
    }
    if let Some(participant) = &m.participant {
        // Group message: the conversation is the group; this is who wrote.
        metadata.insert("participant".into(), json!({"phone": participant.phone, "name": participant.name}));
    }
    if m.is_echo {
        // Typed on the phone / in the Page inbox, not in Atende.
        metadata.insert("sentOutsideAtende".into(), json!(true));
    }
    let content = match (m.content, m.content_type) {
        (None, WireContentType::Unsupported) => {
            Some(format!("[unsupported message: {}]", m.raw_type.as_deref().unwrap_or("unknown")))
        }
        (content, _) => content,
    };
    Inbound {
        external_id: m.external_id,
        identity_kind: kind,
        identity_value,
        profile_name: m.from.display_name,
        phone: m.from.phone,
        email: None,
        content,
        content_type: content_type_of(m.content_type),
        attachments: m
            .attachments
            .into_iter()
            .map(|a| AttachmentRef {
                id: None,
                url: a.url,
                mime_type: a.mime_type,
                file_name: a.filename,
                size: a.size,
            })
            .collect(),
        metadata: Some(Value::Object(metadata)),
        timestamp: m.timestamp,
        is_echo: m.is_echo,
    }
}

/// A permanent failure with a local code (configuration, recipient, content).
pub(crate) fn refuse(code: &str, reason: impl Into<String>) -> SendError {
    SendError::Permanent { code: code.into(), reason: reason.into() }
}

/// The value of the contact's identity of `kind` (on `channel_id` when given).
pub(crate) fn identity_value(contact: &Value, kind: &str, channel_id: Option<uuid::Uuid>) -> Option<String> {
    contact["identities"].as_array()?.iter().find_map(|i| {
        let same_channel = channel_id.is_none_or(|c| i["channelId"].as_str() == Some(c.to_string().as_str()));
        (i["kind"] == kind && same_channel).then(|| i["value"].as_str().map(str::to_string)).flatten()
    })
}

/// The WhatsApp number to write to: the contact's WhatsApp identity, else its phone.
pub(crate) fn whatsapp_recipient(contact: &Value) -> Result<String, SendError> {
    identity_value(contact, "whatsapp", None)
        .or_else(|| contact["phone"].as_str().map(str::to_string))
        .filter(|p| !p.trim().is_empty())
        .ok_or_else(|| refuse("invalid_recipient", "The contact has no WhatsApp number"))
}

/// The wire content type of a file.
pub(crate) fn media_kind(media: &OutboundMedia, message: &Value) -> WireContentType {
    match media.mime_type.as_deref() {
        Some(mime) if !mime.is_empty() => WireContentType::from_mime(mime),
        _ => match message["contentType"].as_str() {
            Some("image") => WireContentType::Image,
            Some("video") => WireContentType::Video,
            Some("audio") => WireContentType::Audio,
            Some("sticker") => WireContentType::Sticker,
            _ => WireContentType::File,
        },
    }
}

/// The message text, if any.
pub(crate) fn text_of(message: &Value) -> Option<String> {
    message["content"].as_str().map(str::trim).filter(|t| !t.is_empty()).map(str::to_string)
}

/// One outbound message for providers that take a caption with the file (Twilio, Z-API):
/// the first attachment with the text as caption, or the text alone.
pub(crate) fn single_message(to: String, delivery: &Delivery<'_>) -> Result<OutboundMessage, SendError> {
    let text = text_of(delivery.message);
    if let Some(media) = delivery.media.first() {
        let mut out = OutboundMessage::media(to, media_kind(media, delivery.message), media.url.clone());
        if let Some(text) = text {
            out = out.with_caption(text);
        }
        if let Some(name) = &media.file_name {
            out = out.with_filename(name.clone());
        }
        return Ok(out);
    }
    let text = text.ok_or_else(|| refuse("empty_message", "The message has no text and no attachment"))?;
    Ok(OutboundMessage::text(to, text))
}

#[cfg(test)]
mod tests;
