//! WHATSAPP_TWILIO: WhatsApp through Twilio.
//!
//! A channel is the Twilio Account SID (`accountId`), the auth token (credentials)
//! and a sender number or Messaging Service (settings). Inbound: `POST
//! /webhooks/twilio/{channelId}` (messages) and `…/status` (status callbacks of our
//! sends), form-encoded and signed `X-Twilio-Signature` over the URL as Twilio knows it
//! (`ATENDE_PUBLIC_URL` + path + query) and the parameters; the payload's `AccountSid`
//! must be the channel's. Outbound: Twilio's Messages API.
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
    twilio::{self as wire, TwilioClient, TwilioConfig, TwilioCredentials, TwilioSender, describe_error_code},
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    Adapter, ChannelKeys, Delivery, Endpoints, SendError, SendOutcome, SettingsPatch, check_account_id, parsed, refuse,
    required_credentials, single_message, unparseable, whatsapp_recipient,
};
use crate::{
    channels::{
        credentials::{self, SecretValue},
        entity,
        model::{ChannelType, ChannelView},
    },
    error::{AppError, AppResult},
    webhooks::model::{Parsed, Refusal, Webhook},
};

/// `WHATSAPP_TWILIO` credentials as an admin gives them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Credentials {
    /// Auth token: HTTP Basic password and the key of `X-Twilio-Signature`.
    pub auth_token: SecretValue,
}

/// `+` and 7 to 15 digits, not starting with 0.
pub fn is_e164(phone: &str) -> bool {
    let Some(digits) = phone.strip_prefix('+') else { return false };
    (7..=15).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0')
}

/// `MG` followed by 32 hex characters.
pub fn is_messaging_service_sid(sid: &str) -> bool {
    sid.len() == 34 && sid.starts_with("MG") && sid[2..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// Non-secret options of a Twilio channel (in `settings`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TwilioSettings {
    /// The WhatsApp sender, `+E164`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// Send through a Messaging Service instead of a fixed number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub messaging_service_sid: Option<String>,
}

impl TwilioSettings {
    /// The settings of a channel row (defaults when absent or unreadable).
    pub fn of(channel: &entity::Model) -> Self {
        Self::from_settings(channel.settings.as_ref())
    }

    /// The settings in a `settings` JSON (defaults when absent or unreadable).
    pub fn from_settings(settings: Option<&Value>) -> Self {
        settings.cloned().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default()
    }

    /// Checks the sender: a number in E.164 or a Messaging Service SID is required.
    pub fn validate(&self) -> AppResult<()> {
        if let Some(phone) = &self.phone_number
            && !is_e164(phone)
        {
            return Err(AppError::field("phoneNumber", "must be in E.164 form, e.g. +5511987654321"));
        }
        if let Some(sid) = &self.messaging_service_sid
            && !is_messaging_service_sid(sid)
        {
            return Err(AppError::field("messagingServiceSid", "must be MG followed by 32 hex characters"));
        }
        if self.phone_number.is_none() && self.messaging_service_sid.is_none() {
            return Err(AppError::field("phoneNumber", "is required (or give a messagingServiceSid)"));
        }
        Ok(())
    }
}

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
    fn provider(&self) -> &'static str {
        "twilio"
    }

    fn validate_account_id(&self, account_id: Option<&str>) -> AppResult<()> {
        let id = account_id.map(str::trim).unwrap_or_default();
        check_account_id(
            id.len() == 34 && id.starts_with("AC") && id[2..].bytes().all(|b| b.is_ascii_hexdigit()),
            "must be the Twilio Account SID (AC followed by 32 hex characters)",
        )
    }

    fn validate_credentials(&self, credentials: Option<&Value>) -> AppResult<()> {
        let c: Credentials = required_credentials(ChannelType::WhatsappTwilio, credentials)?;
        c.auth_token.validate("authToken")
    }

    fn settings(&self, current: Option<&Value>, patch: &SettingsPatch) -> AppResult<Option<Value>> {
        if patch.include_groups.is_some() {
            return Err(AppError::field("includeGroups", "is only used by WHATSAPP_ZAPI channels"));
        }
        let mut settings = TwilioSettings::from_settings(current);
        if let Some(phone) = &patch.phone_number {
            settings.phone_number = Some(phone.trim().to_string()).filter(|p| !p.is_empty());
        }
        if let Some(sid) = &patch.messaging_service_sid {
            settings.messaging_service_sid = Some(sid.trim().to_string()).filter(|s| !s.is_empty());
        }
        settings.validate()?;
        Ok(Some(serde_json::to_value(settings).map_err(|e| AppError::Internal(e.into()))?))
    }

    fn describe(&self, channel: &entity::Model, _secret: Option<&str>, view: &mut ChannelView) {
        let settings = TwilioSettings::of(channel);
        view.phone_number = settings.phone_number;
        view.messaging_service_sid = settings.messaging_service_sid;
    }

    fn verify(&self, channel: &entity::Model, hook: &Webhook<'_>, keys: &ChannelKeys<'_>) -> Result<(), Refusal> {
        let params = wire::parse_form(hook.body);
        let signature = hook.header("x-twilio-signature").unwrap_or("");
        if !wire::validate_signature(keys.credential("authToken")?, hook.url, &params, signature) {
            return Err(Refusal::Unauthenticated("bad_signature"));
        }
        // Signed by this account's token; the payload must also name this account.
        let account = params.iter().find(|(k, _)| k == "AccountSid").map(|(_, v)| v.as_str());
        if account.is_some_and(|a| Some(a) != channel.account_id.as_deref()) {
            return Err(Refusal::Unauthenticated("wrong_account"));
        }
        Ok(())
    }

    fn parse(&self, _channel: &entity::Model, hook: &Webhook<'_>) -> AppResult<Parsed> {
        let event = wire::parse_webhook(&wire::parse_form(hook.body)).map_err(unparseable)?;
        // Transitional statuses (queued, sending) are keyed by their bytes.
        Ok(parsed(ChannelType::WhatsappTwilio, self.provider(), hook.body, vec![event]))
    }

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
