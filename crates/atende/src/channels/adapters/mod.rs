//! Outbound adapters, one per channel type, behind one trait. Adapters translate and
//! call the provider; they never touch the database (the delivery job does). The
//! provider wire formats, signatures and HTTP clients live in the `providers` crate;
//! the adapters here map our message, conversation and contact shapes onto them.

/// Generic API channel (signed callback).
pub mod api;
/// Messenger and Instagram (Send API).
pub mod meta;
/// WhatsApp through Twilio.
pub mod twilio;
/// WhatsApp through Z-API.
pub mod zapi;

use async_trait::async_trait;
pub use providers::SendError;
use providers::{ContentType as WireContentType, OutboundMessage};
use serde_json::Value;

use super::{entity, model::ChannelType};
use crate::config::Config;

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

/// Sends agent messages to one kind of channel.
#[async_trait]
pub trait Adapter: Send + Sync {
    /// Delivers one message; never retries by itself (the job queue does).
    async fn send(&self, delivery: &Delivery<'_>) -> Result<SendOutcome, SendError>;
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
        }
    }
}

/// The adapter for a channel type.
pub fn for_type(channel_type: ChannelType, http: &reqwest::Client, endpoints: &Endpoints) -> Option<Box<dyn Adapter>> {
    Some(match channel_type {
        ChannelType::Api => Box::new(api::ApiAdapter::new(http.clone())),
        ChannelType::WhatsappTwilio => Box::new(twilio::TwilioAdapter::new(http.clone(), endpoints.clone())),
        ChannelType::WhatsappZapi => Box::new(zapi::ZapiAdapter::new(http.clone(), endpoints.clone())),
        ChannelType::FacebookMessenger | ChannelType::Instagram => {
            Box::new(meta::MetaAdapter::new(http.clone(), endpoints.clone(), channel_type))
        }
    })
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
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn recipients_come_from_identities_then_phone() {
        let channel = uuid::Uuid::now_v7();
        let contact = json!({"phone": "+5511900000000", "identities": [
            {"kind": "whatsapp", "value": "+5511987654321", "channelId": null},
            {"kind": "facebook", "value": "654", "channelId": channel.to_string()},
        ]});
        assert_eq!(whatsapp_recipient(&contact).unwrap(), "+5511987654321");
        assert_eq!(identity_value(&contact, "facebook", Some(channel)).as_deref(), Some("654"));
        assert_eq!(identity_value(&contact, "facebook", Some(uuid::Uuid::now_v7())), None);
        assert_eq!(whatsapp_recipient(&json!({"phone": "+5511900000000"})).unwrap(), "+5511900000000");
        assert!(whatsapp_recipient(&json!({"identities": []})).is_err());
    }
}
