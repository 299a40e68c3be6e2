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
    WhatsappTwilio,
    WhatsappZapi,
    FacebookMessenger,
    Instagram,
}

impl ChannelType {
    pub fn as_str(self) -> &'static str {
        match self {
            ChannelType::Api => "API",
            ChannelType::WhatsappTwilio => "WHATSAPP_TWILIO",
            ChannelType::WhatsappZapi => "WHATSAPP_ZAPI",
            ChannelType::FacebookMessenger => "FACEBOOK_MESSENGER",
            ChannelType::Instagram => "INSTAGRAM",
        }
    }

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
    pub connection_status: String,
    pub has_credentials: bool,
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
    /// Provider credentials; write-only.
    #[garde(skip)]
    #[schema(value_type = Option<Object>)]
    pub credentials: Option<serde_json::Value>,
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
