//! Parsing a delivery once, at the webhook: provider wire format → the events the
//! pipeline applies (`Normalized`), stored with the raw bytes. The worker never parses
//! provider payloads again (rows stored by older versions are normalised on apply).

use providers::{ContentType as WireContentType, InboundEvent, InboundMessage, SenderKind};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::api::ApiInbound;
use crate::{
    channels::{credentials::ZapiSettings, entity as channel, model::ChannelType},
    contacts::model::IdentityKind,
    error::{AppError, AppResult},
    inbox::{
        ingest::Inbound,
        model::{AttachmentRef, ContentType},
    },
};

/// One event of a delivery, ready to apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Normalized {
    /// A customer's message (or an echo of the business's own) for the inbox.
    Message(Inbound),
    /// A delivery status of one of our messages.
    Status(providers::StatusUpdate),
    /// Meta: every message up to a time was delivered or read.
    Watermark(providers::WatermarkUpdate),
    /// Z-API: the number connected or disconnected.
    Connection(providers::ConnectionEvent),
    /// Understood and not relevant (the reason is logged).
    Ignored { reason: String },
}

/// The provider events of a delivery as the pipeline applies them. `payload` is the
/// raw body (Z-API echoes of our own API sends are recognised by it).
pub fn from_provider(
    channel: &channel::Model,
    provider: &str,
    payload: &[u8],
    events: Vec<InboundEvent>,
) -> Vec<Normalized> {
    let channel_type = ChannelType::parse(&channel.channel_type).unwrap_or(ChannelType::Api);
    events
        .into_iter()
        .map(|event| match event {
            InboundEvent::Message(m) if m.is_echo && provider == "zapi" && sent_through_api(payload) => {
                // Our own send (or another API client's), reported back by Z-API: the
                // delivery job records it; an echo row would duplicate it.
                Normalized::Ignored { reason: format!("z-api echo of an API send {}", m.external_id) }
            }
            InboundEvent::Message(m) => Normalized::Message(to_inbound(channel_type, provider, m)),
            InboundEvent::Status(s) => Normalized::Status(s),
            InboundEvent::Watermark(w) => Normalized::Watermark(w),
            InboundEvent::Connection(c) => Normalized::Connection(c),
            InboundEvent::Ignored(reason) => Normalized::Ignored { reason },
        })
        .collect()
}

/// An API-channel delivery (already validated) as pipeline events.
pub fn from_api(parsed: ApiInbound) -> Vec<Normalized> {
    vec![Normalized::Message(parsed.into_inbound())]
}

/// Parses a stored raw delivery (rows from before deliveries were stored parsed).
pub fn from_stored(channel: &channel::Model, provider: &str, payload: &[u8]) -> AppResult<Vec<Normalized>> {
    let unparseable = |e: &dyn std::fmt::Display| AppError::field("body", format!("unparseable event: {e}"));
    match provider {
        "api" => Ok(from_api(ApiInbound::parse(payload)?)),
        "twilio" => {
            let params = providers::twilio::parse_form(payload);
            let event = providers::twilio::parse_webhook(&params).map_err(|e| unparseable(&e))?;
            Ok(from_provider(channel, provider, payload, vec![event]))
        }
        "zapi" => {
            let options = ZapiSettings::of(channel).parse_options();
            let events = providers::zapi::parse_callback_with(payload, &options).map_err(|e| unparseable(&e))?;
            Ok(from_provider(channel, provider, payload, events))
        }
        "meta" => {
            let parsed = providers::meta::parse_webhook(payload).map_err(|e| unparseable(&e))?;
            // Only the entries addressed to this channel (a shared delivery may carry
            // other pages' entries, possibly of other tenants).
            let mine = super::meta::events_for(&parsed, channel.account_id.as_deref().unwrap_or_default());
            Ok(from_provider(channel, provider, payload, mine))
        }
        other => Err(AppError::field("provider", format!("no parser for provider {other}"))),
    }
}

/// The partition of a delivery: its first sender's identity (so one person's messages,
/// on any channel, are applied in arrival order by one lane), else nothing in particular.
pub fn lane_hash(events: &[Normalized]) -> i64 {
    let key = events.iter().find_map(|e| match e {
        Normalized::Message(m) => Some(m.identity_value.as_str()),
        Normalized::Watermark(w) => Some(w.contact_id.as_str()),
        _ => None,
    });
    // FNV-1a: stable across processes and versions (the std hasher is neither).
    let hash = key
        .unwrap_or_default()
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    (hash & 0x7fff_ffff) as i64
}

/// Z-API marks messages sent through its API with `fromApi: true`.
fn sent_through_api(payload: &[u8]) -> bool {
    serde_json::from_slice::<Value>(payload).ok().and_then(|v| v.get("fromApi").and_then(Value::as_bool)) == Some(true)
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
