//! API shapes for channels.

use chrono::{DateTime, Utc};
use garde::Validate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// Kinds of channel. Provider channels arrive with their adapters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ChannelType {
    /// Generic API channel: signed inbound webhook, signed outbound callback.
    Api,
    /// WhatsApp through Twilio Programmable Messaging.
    WhatsappTwilio,
    /// WhatsApp through a Z-API instance (QR-code connection).
    WhatsappZapi,
    /// Facebook Messenger (a Page).
    FacebookMessenger,
    /// Instagram Direct (a professional account).
    Instagram,
}

impl ChannelType {
    /// The stored name (`WHATSAPP_TWILIO`, ...).
    pub const fn as_str(self) -> &'static str {
        match self {
            ChannelType::Api => "API",
            ChannelType::WhatsappTwilio => "WHATSAPP_TWILIO",
            ChannelType::WhatsappZapi => "WHATSAPP_ZAPI",
            ChannelType::FacebookMessenger => "FACEBOOK_MESSENGER",
            ChannelType::Instagram => "INSTAGRAM",
        }
    }

    /// The type of a stored name.
    pub fn parse(value: &str) -> Option<Self> {
        match value {
            "API" => Some(ChannelType::Api),
            "WHATSAPP_TWILIO" => Some(ChannelType::WhatsappTwilio),
            "WHATSAPP_ZAPI" => Some(ChannelType::WhatsappZapi),
            "FACEBOOK_MESSENGER" => Some(ChannelType::FacebookMessenger),
            "INSTAGRAM" => Some(ChannelType::Instagram),
            _ => None,
        }
    }

    /// The path segment of this type's webhook route.
    pub fn webhook_segment(self) -> &'static str {
        match self {
            ChannelType::Api => "api",
            ChannelType::WhatsappTwilio => "twilio",
            ChannelType::WhatsappZapi => "zapi",
            ChannelType::FacebookMessenger | ChannelType::Instagram => "meta",
        }
    }

    /// Messenger or Instagram.
    pub fn is_meta(self) -> bool {
        matches!(self, ChannelType::FacebookMessenger | ChannelType::Instagram)
    }
}

/// A channel as the API shows it: never the credentials or the secret.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChannelView {
    pub id: Uuid,
    #[serde(rename = "type")]
    pub channel_type: ChannelType,
    pub name: String,
    pub account_id: Option<String>,
    /// Absolute URL the provider (or integrator) must POST to.
    pub webhook_url: String,
    pub callback_url: Option<String>,
    pub enabled: bool,
    /// `connected`, `disconnected`, `qr_pending` (Z-API waiting for a scan), `pending`
    /// (not checked yet) or `needs_attention` (the provider refused the credentials).
    pub connection_status: String,
    pub has_credentials: bool,
    /// Twilio: the WhatsApp sender number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Twilio: the Messaging Service used instead of a fixed number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub messaging_service_sid: Option<String>,
    /// Z-API: whether group chats become conversations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub include_groups: Option<bool>,
    pub created_at: DateTime<Utc>,
}

/// A compact channel for conversation lists.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChannelSummary {
    pub id: Uuid,
    #[serde(rename = "type")]
    pub channel_type: ChannelType,
    pub name: String,
}

/// `POST /channels`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CreateChannel {
    #[serde(rename = "type")]
    #[garde(skip)]
    pub channel_type: ChannelType,
    #[garde(length(min = 1, max = 120))]
    pub name: String,
    #[garde(length(min = 1, max = 200))]
    pub account_id: Option<String>,
    /// API channel: where agent messages are POSTed (http or https).
    #[garde(length(max = 2000))]
    pub callback_url: Option<String>,
    /// Provider credentials; write-only. Per type: Twilio `{authToken}`, Z-API
    /// `{instanceToken, clientToken}`, Messenger/Instagram `{pageAccessToken, appSecret,
    /// verifyToken}`. Environment references (`{"env": …}`) are refused here
    /// (`credential_env_not_allowed`): only the platform operator may set them.
    #[garde(skip)]
    #[schema(value_type = Option<Object>)]
    pub credentials: Option<serde_json::Value>,
    /// Twilio: the WhatsApp sender number in E.164.
    #[garde(length(max = 20))]
    pub phone_number: Option<String>,
    /// Twilio: a Messaging Service SID (`MG…`) to send through.
    #[garde(length(max = 40))]
    pub messaging_service_sid: Option<String>,
    /// Z-API: turn group chats into conversations (off: groups are ignored).
    #[garde(skip)]
    pub include_groups: Option<bool>,
}

/// `PATCH /channels/{id}`.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UpdateChannel {
    #[garde(length(min = 1, max = 120))]
    pub name: Option<String>,
    #[garde(length(min = 1, max = 200))]
    pub account_id: Option<String>,
    #[garde(length(max = 2000))]
    pub callback_url: Option<String>,
    #[garde(skip)]
    pub enabled: Option<bool>,
    /// Replaces the stored credentials.
    #[garde(skip)]
    #[schema(value_type = Option<Object>)]
    pub credentials: Option<serde_json::Value>,
    /// Twilio: the WhatsApp sender number in E.164.
    #[garde(length(max = 20))]
    pub phone_number: Option<String>,
    /// Twilio: a Messaging Service SID (`MG…`) to send through.
    #[garde(length(max = 40))]
    pub messaging_service_sid: Option<String>,
    /// Z-API: turn group chats into conversations (off: groups are ignored).
    #[garde(skip)]
    pub include_groups: Option<bool>,
}

/// `{channel}`; on creation also the webhook secret, shown only then.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChannelEnvelope {
    pub channel: ChannelView,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_secret: Option<String>,
}

/// `{channels}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChannelList {
    pub channels: Vec<ChannelView>,
}

/// The `channel_status` socket payload: a channel's connection state changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChannelStatusView {
    pub channel_id: Uuid,
    #[serde(rename = "type")]
    pub channel_type: String,
    pub name: String,
    pub connection_status: String,
    /// Why (provider message, `qr_expired`, ...).
    pub detail: Option<String>,
}
