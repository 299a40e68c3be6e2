//! WHATSAPP_ZAPI: WhatsApp through a Z-API instance (WhatsApp Web by QR code).
//!
//! A channel is the instance id (`accountId`), the instance and client tokens
//! (credentials) and the group option (settings); it starts `pending` until the number
//! is paired (`channels::connection`). Inbound: `POST
//! /webhooks/zapi/{channelId}/{secret}` for every callback kind; Z-API signs nothing, so
//! the URL carries the channel's random webhook secret (compared in constant time) and
//! the payload's `instanceId` must be the channel's instance. A message we sent through
//! the API comes back as an echo (`fromMe` + `fromApi`) and is ignored: the delivery job
//! recorded it.
//!
//! Provider quirks (reference §3; wire details in `providers::zapi`):
//! - The instance id (the channel's `accountId`) and instance token are URL path
//!   segments, so URLs are secrets and never logged; every call also carries the
//!   account's `Client-Token` header.
//! - Phones are digits only; errors can arrive with HTTP 200 and an `error` key.
//! - Text goes to `/send-text`; images and videos take the text as caption; audio
//!   takes none; documents need the file extension in the path (`/send-document/pdf`).
//! - Sends answer `{zaapId, messageId, id}`; `messageId` is what status callbacks name.
//! - The number must stay paired: while the channel is known to be disconnected a send
//!   fails at once with `channel_disconnected` (no call), and the message is queued
//!   again when the instance reconnects (ConnectedCallback or the QR watcher).
//! - Z-API queues sends while the *phone* is offline; that is not an error here.

use async_trait::async_trait;
use providers::{
    ChannelAdapter,
    zapi::{self as wire, ZapiClient, ZapiConfig, ZapiCredentials},
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use subtle::ConstantTimeEq;

use super::{
    Adapter, ChannelKeys, Delivery, Endpoints, Pairing, PairingQr, PairingStatus, SendError, SendOutcome,
    SettingsPatch, check_account_id, parsed, refuse, required_credentials, single_message, unparseable,
    whatsapp_recipient,
};
use crate::{
    channels::{
        credentials::{self, SecretValue},
        entity,
        model::{ChannelType, ChannelView},
    },
    error::{AppError, AppResult},
    webhooks::model::{Normalized, Parsed, Refusal, Webhook},
};

/// `WHATSAPP_ZAPI` credentials as an admin gives them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Credentials {
    /// Instance token (a path segment of every Z-API call).
    pub instance_token: SecretValue,
    /// Account security token, sent as `Client-Token`.
    pub client_token: SecretValue,
}

/// Non-secret options of a Z-API channel (in `settings`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ZapiSettings {
    /// Group chats become conversations (with the group as the contact); off by default
    /// because most teams answer people, not groups.
    #[serde(default)]
    pub include_groups: bool,
}

impl ZapiSettings {
    /// The settings of a channel row (defaults when absent or unreadable).
    pub fn of(channel: &entity::Model) -> Self {
        channel.settings.clone().and_then(|v| serde_json::from_value(v).ok()).unwrap_or_default()
    }

    /// How this channel's callbacks are read.
    pub fn parse_options(&self) -> wire::ParseOptions {
        wire::ParseOptions { include_groups: self.include_groups }
    }
}

/// The pairing calls of a Z-API instance.
struct ZapiPairing(ZapiClient);

#[async_trait]
impl Pairing for ZapiPairing {
    async fn qr_code(&self) -> Result<PairingQr, SendError> {
        Ok(match self.0.qr_code_image().await? {
            wire::QrCode::Image(image) => PairingQr::Image(image),
            wire::QrCode::AlreadyConnected => PairingQr::AlreadyConnected,
        })
    }

    async fn status(&self) -> Result<PairingStatus, SendError> {
        let live = self.0.status().await?;
        Ok(PairingStatus {
            connected: live.connected,
            smartphone_connected: live.smartphone_connected,
            error: live.error,
        })
    }

    async fn disconnect(&self) -> Result<(), SendError> {
        self.0.disconnect().await
    }

    async fn restart(&self) -> Result<(), SendError> {
        self.0.restart().await
    }

    async fn register_webhooks(&self, url: &str) -> Result<(), SendError> {
        self.0.update_every_webhooks(url, true).await
    }
}

/// Z-API marks messages sent through its API with `fromApi: true`.
fn sent_through_api(payload: &[u8]) -> bool {
    serde_json::from_slice::<Value>(payload).ok().and_then(|v| v.get("fromApi").and_then(Value::as_bool)) == Some(true)
}

/// The failure code of a send refused because the number is not paired.
pub const DISCONNECTED_CODE: &str = "channel_disconnected";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Creds {
    instance_token: String,
    client_token: String,
}

/// Sends through Z-API.
pub struct ZapiAdapter {
    http: reqwest::Client,
    endpoints: Endpoints,
}

impl ZapiAdapter {
    /// An adapter using these provider hosts.
    pub fn new(http: reqwest::Client, endpoints: Endpoints) -> Self {
        ZapiAdapter { http, endpoints }
    }
}

/// A Z-API client for a channel, from its resolved credentials.
pub fn client(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    channel: &entity::Model,
    resolved: Option<&serde_json::Value>,
) -> Result<ZapiClient, SendError> {
    let creds: Creds = credentials::typed(resolved).map_err(|e| refuse("invalid_configuration", e))?;
    ZapiClient::new(
        http.clone(),
        ZapiConfig {
            base_url: endpoints.zapi_base_url.clone(),
            credentials: ZapiCredentials {
                instance_id: channel.account_id.clone().unwrap_or_default(),
                instance_token: creds.instance_token,
                client_token: creds.client_token,
            },
            delay_message: None,
        },
    )
    .map_err(|e| refuse("invalid_configuration", e.to_string()))
}

#[async_trait]
impl Adapter for ZapiAdapter {
    fn provider(&self) -> &'static str {
        "zapi"
    }

    fn validate_account_id(&self, account_id: Option<&str>) -> AppResult<()> {
        let id = account_id.map(str::trim).unwrap_or_default();
        check_account_id(
            (8..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric()),
            "must be the Z-API instance id",
        )
    }

    fn validate_credentials(&self, credentials: Option<&Value>) -> AppResult<()> {
        let c: Credentials = required_credentials(ChannelType::WhatsappZapi, credentials)?;
        c.instance_token.validate("instanceToken")?;
        c.client_token.validate("clientToken")
    }

    fn settings(&self, current: Option<&Value>, patch: &SettingsPatch) -> AppResult<Option<Value>> {
        if patch.phone_number.is_some() || patch.messaging_service_sid.is_some() {
            let field = if patch.phone_number.is_some() { "phoneNumber" } else { "messagingServiceSid" };
            return Err(AppError::field(field, "is only used by WHATSAPP_TWILIO channels"));
        }
        let Some(include) = patch.include_groups else { return Ok(current.cloned()) };
        let mut object = match current {
            Some(Value::Object(map)) => map.clone(),
            _ => serde_json::Map::new(),
        };
        object.insert("includeGroups".into(), Value::Bool(include));
        Ok(Some(Value::Object(object)))
    }

    fn pairs_by_qr(&self) -> bool {
        true
    }

    fn pairing(
        &self,
        channel: &entity::Model,
        credentials: Option<&Value>,
    ) -> Option<Result<Box<dyn Pairing>, SendError>> {
        Some(
            client(&self.http, &self.endpoints, channel, credentials)
                .map(|c| Box::new(ZapiPairing(c)) as Box<dyn Pairing>),
        )
    }

    fn initial_connection_status(&self) -> &'static str {
        // The number must be paired by QR code before it is known to work.
        "pending"
    }

    fn describe(&self, channel: &entity::Model, secret: Option<&str>, view: &mut ChannelView) {
        view.webhook_url.push('/');
        view.webhook_url.push_str(secret.unwrap_or("{webhookSecret}"));
        view.include_groups = Some(ZapiSettings::of(channel).include_groups);
    }

    fn verify(&self, channel: &entity::Model, hook: &Webhook<'_>, keys: &ChannelKeys<'_>) -> Result<(), Refusal> {
        let given = hook.url_secret.unwrap_or("");
        let secret_ok: bool = keys.webhook_secret()?.ct_eq(given.as_bytes()).into();
        if !secret_ok {
            return Err(Refusal::Unauthenticated("bad_secret"));
        }
        if !wire::verify_instance(hook.body, channel.account_id.as_deref().unwrap_or("")) {
            return Err(Refusal::Unauthenticated("wrong_instance"));
        }
        Ok(())
    }

    fn parse(&self, channel: &entity::Model, hook: &Webhook<'_>) -> AppResult<Parsed> {
        let options = ZapiSettings::of(channel).parse_options();
        let events = wire::parse_callback_with(hook.body, &options).map_err(unparseable)?;
        let mut parsed = parsed(ChannelType::WhatsappZapi, self.provider(), hook.body, events);
        let mut from_api = None;
        for event in &mut parsed.events {
            if let Normalized::Message(m) = event
                && m.is_echo
                && *from_api.get_or_insert_with(|| sent_through_api(hook.body))
            {
                // Our own send (or another API client's), reported back by Z-API: the
                // delivery job records it; an echo row would duplicate it.
                let reason = format!("z-api echo of an API send {}", m.external_id);
                *event = Normalized::Ignored { reason };
            }
        }
        Ok(parsed)
    }

    async fn send(&self, delivery: &Delivery<'_>) -> Result<SendOutcome, SendError> {
        if delivery.channel.connection_status == "disconnected" {
            return Err(refuse(
                DISCONNECTED_CODE,
                "WhatsApp is disconnected: scan the QR code in the channel settings; \
                 the message will be sent again when the number reconnects",
            ));
        }
        let client = client(&self.http, &self.endpoints, delivery.channel, delivery.credentials)?;
        let outbound = single_message(whatsapp_recipient(delivery.contact)?, delivery)?;
        let sent = client.send(&outbound).await?;
        Ok(SendOutcome { external_id: Some(sent.external_id) })
    }
}
