//! WHATSAPP_ZAPI: agent messages through a Z-API instance (WhatsApp Web by QR code).
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
    zapi::{ZapiClient, ZapiConfig, ZapiCredentials},
};
use serde::Deserialize;

use super::{Adapter, Delivery, Endpoints, SendError, SendOutcome, refuse, single_message, whatsapp_recipient};
use crate::channels::{credentials, entity};

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
