//! WHATSAPP_TWILIO: agent messages through Twilio's Messages API.
//!
//! Provider quirks (reference §1; wire details in `providers::twilio`):
//! - Form-encoded `POST /2010-04-01/Accounts/{AC…}/Messages.json`, HTTP Basic with the
//!   Account SID (the channel's `accountId`) and auth token; success is **201**.
//! - Addresses are `whatsapp:+E164`; the sender is the channel's `phoneNumber`, or its
//!   Messaging Service (`MG…`) when one is configured.
//! - `StatusCallback` points at `/webhooks/twilio/{channel}/status` on our public URL,
//!   so delivery/read receipts come back signed like inbound messages.
//! - One media URL per message here (Twilio takes up to 10): the first attachment is
//!   sent with the text as caption. Media URLs must be publicly fetchable.
//! - 429 (error 20429, concurrent-request limit) and 5xx are retried; there is no
//!   documented `Retry-After`, it is honoured when present. Error codes become readable
//!   reasons (63016: outside the 24-hour window, 21211: invalid number, ...).
//! - Outside WhatsApp's 24-hour window only templates pass; free text fails with 63016,
//!   which is reported, not retried.

use async_trait::async_trait;
use providers::{
    ChannelAdapter,
    twilio::{TwilioClient, TwilioConfig, TwilioCredentials, TwilioSender, describe_error_code},
};
use serde::Deserialize;

use super::{Adapter, Delivery, Endpoints, SendError, SendOutcome, refuse, single_message, whatsapp_recipient};
use crate::channels::{credentials, credentials::TwilioSettings, entity};

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Creds {
    auth_token: String,
}

/// Sends through Twilio.
pub struct TwilioAdapter {
    http: reqwest::Client,
    endpoints: Endpoints,
}

impl TwilioAdapter {
    /// An adapter using these provider hosts.
    pub fn new(http: reqwest::Client, endpoints: Endpoints) -> Self {
        TwilioAdapter { http, endpoints }
    }
}

/// The URL Twilio posts status callbacks of this channel's messages to.
pub fn status_callback_url(public_url: &str, channel_id: uuid::Uuid) -> String {
    format!("{public_url}/webhooks/twilio/{channel_id}/status")
}

/// A Twilio client for a channel, from its resolved credentials.
pub fn client(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    channel: &entity::Model,
    resolved: Option<&serde_json::Value>,
) -> Result<TwilioClient, SendError> {
    let creds: Creds = credentials::typed(resolved).map_err(|e| refuse("invalid_configuration", e))?;
    let settings = TwilioSettings::of(channel);
    let sender = match (settings.messaging_service_sid, settings.phone_number) {
        (Some(sid), _) => TwilioSender::MessagingService(sid),
        (None, Some(phone)) => TwilioSender::From(phone),
        (None, None) => return Err(refuse("invalid_configuration", "The channel has no sender number")),
    };
    TwilioClient::new(
        http.clone(),
        TwilioConfig {
            base_url: endpoints.twilio_base_url.clone(),
            credentials: TwilioCredentials {
                account_sid: channel.account_id.clone().unwrap_or_default(),
                auth_token: creds.auth_token,
            },
            sender,
            status_callback: Some(status_callback_url(&endpoints.public_url, channel.id)),
        },
    )
    .map_err(|e| refuse("invalid_configuration", e.to_string()))
}

#[async_trait]
impl Adapter for TwilioAdapter {
    async fn send(&self, delivery: &Delivery<'_>) -> Result<SendOutcome, SendError> {
        let client = client(&self.http, &self.endpoints, delivery.channel, delivery.credentials)?;
        let outbound = single_message(whatsapp_recipient(delivery.contact)?, delivery)?;
        match client.send(&outbound).await {
            Ok(sent) => Ok(SendOutcome { external_id: Some(sent.external_id) }),
            Err(SendError::Permanent { code, reason }) => {
                // Twilio's own text when it gives one; the code's meaning otherwise.
                let reason = match describe_error_code(&code) {
                    Some(known) if reason.trim().is_empty() || reason == code => known.to_string(),
                    Some(known) => format!("{known}: {reason}"),
                    None => reason,
                };
                Err(SendError::Permanent { code, reason })
            }
            Err(other) => Err(other),
        }
    }
}
