//! FACEBOOK_MESSENGER and INSTAGRAM: Meta's Messenger Platform.
//!
//! A channel is the Page id or Instagram account id (`accountId`) and the page access
//! token, app secret and verify token (credentials). Inbound:
//! - `GET /webhooks/meta/{channelId}` and `GET /webhooks/meta`: the subscription
//!   handshake (`hub.mode=subscribe`, `hub.verify_token`, `hub.challenge` echoed).
//! - `POST /webhooks/meta/{channelId}` and the shared `POST /webhooks/meta`:
//!   `X-Hub-Signature-256` over the raw body with the channel's app secret (the legacy
//!   SHA-1 header alone is accepted too); only the entries addressed to the channel's
//!   account id are its events. The shared URL is routed by `entry[].id`
//!   (`account_ids`), across tenants, to every channel whose secret verifies.
//! - A message carries no name: a new customer's profile name is asked of the Graph API.
//!
//! Outbound: Meta's Send API. Provider quirks (reference §2; wire details in `providers::meta`):
//! - Page access token as `?access_token=`; JSON body `{recipient:{id}, messaging_type,
//!   message}`; success is `{recipient_id, message_id}`.
//! - Messenger sends go to `/{page-id}/messages`. Instagram (Messenger API for
//!   Instagram, Page token) goes to `/me/messages`, because the channel's `accountId`
//!   is the Instagram account id, not the Page id.
//! - Recipients are page-scoped ids (PSID / IGSID): the contact's identity on *this*
//!   channel, never a phone number.
//! - 24-hour window, decided here before calling Meta: within 24 h of the customer's
//!   last message the reply is `RESPONSE`; up to 7 days it is `MESSAGE_TAG` +
//!   `HUMAN_AGENT`; later (or if the customer never wrote) the send is refused with
//!   `outside_window` and no request is made.
//! - An attachment cannot carry text: a message with both is sent as the file, then
//!   the text (the text's `mid` is recorded).
//! - Errors are HTTP 400 even for rate limits (codes 4, 17, 32, 613, 80000–80014):
//!   those are retried with backoff; 190 (token invalid) is an auth failure, which
//!   marks the channel as needing attention.
//! - Instagram text is limited to 1000 bytes.

use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use providers::{
    ChannelAdapter, InboundEvent, OutboundMessage,
    meta::{self as wire, MetaClient, MetaConfig, MetaPlatform, TokenPlacement},
};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    Adapter, ChannelKeys, Delivery, Endpoints, SendError, SendOutcome, check_account_id, identity_value, media_kind,
    parsed, refuse, required_credentials, text_of, unparseable,
};
use crate::{
    channels::{
        credentials::{self, SecretValue},
        entity,
        model::ChannelType,
    },
    error::{AppError, AppResult},
    webhooks::model::{Parsed, Refusal, Webhook},
};

/// `FACEBOOK_MESSENGER` / `INSTAGRAM` credentials as an admin gives them.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Credentials {
    /// Page access token (Send API, user profile).
    pub page_access_token: SecretValue,
    /// App secret: the key of `X-Hub-Signature-256`.
    pub app_secret: SecretValue,
    /// The string Meta echoes back in the `hub.verify_token` handshake.
    pub verify_token: SecretValue,
}

/// The channel type an `object` value addresses.
fn type_of(platform: MetaPlatform) -> ChannelType {
    match platform {
        MetaPlatform::Messenger => ChannelType::FacebookMessenger,
        MetaPlatform::Instagram => ChannelType::Instagram,
    }
}

/// The parsed delivery (`(entry id, event)`) and the channel type its `object` names.
fn parse_delivery(body: &[u8]) -> AppResult<(ChannelType, Vec<(String, InboundEvent)>)> {
    #[derive(Deserialize)]
    struct Object {
        object: Option<String>,
    }
    let events = wire::parse_webhook(body).map_err(unparseable)?;
    // parse_webhook accepted the object, so it is `page` or `instagram`.
    let object = serde_json::from_slice::<Object>(body).ok().and_then(|o| o.object).unwrap_or_default();
    let platform = MetaPlatform::from_object(&object).ok_or_else(|| AppError::field("object", "unknown"))?;
    Ok((type_of(platform), events))
}

/// The events of a delivery addressed to one account id.
pub fn events_for(events: Vec<(String, InboundEvent)>, account_id: &str) -> Vec<InboundEvent> {
    events.into_iter().filter(|(entry, _)| entry == account_id).map(|(_, e)| e).collect()
}

/// Replies within this long of the customer's last message are plain `RESPONSE`s.
pub const STANDARD_WINDOW: chrono::Duration = chrono::Duration::hours(24);
/// Replies up to this long after it need the `HUMAN_AGENT` tag; later ones are refused.
pub const HUMAN_AGENT_WINDOW: chrono::Duration = chrono::Duration::days(7);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Creds {
    page_access_token: String,
}

/// How a reply may be sent given the customer's last message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Inside 24 hours: `RESPONSE`.
    Standard,
    /// 24 hours to 7 days: `MESSAGE_TAG` `HUMAN_AGENT`.
    HumanAgent,
    /// Beyond 7 days, or the customer never wrote: Meta would refuse.
    Closed,
}

/// The window for a reply at `now` to a customer who last wrote at `last_incoming`.
pub fn window(last_incoming: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Window {
    match last_incoming.map(|at| now - at) {
        Some(age) if age <= STANDARD_WINDOW => Window::Standard,
        Some(age) if age <= HUMAN_AGENT_WINDOW => Window::HumanAgent,
        _ => Window::Closed,
    }
}

/// Sends through Meta's Send API.
pub struct MetaAdapter {
    http: reqwest::Client,
    endpoints: Endpoints,
    channel_type: ChannelType,
}

impl MetaAdapter {
    /// An adapter for Messenger or Instagram channels.
    pub fn new(http: reqwest::Client, endpoints: Endpoints, channel_type: ChannelType) -> Self {
        MetaAdapter { http, endpoints, channel_type }
    }
}

/// Messenger or Instagram, from the channel type.
pub fn platform_of(channel_type: ChannelType) -> MetaPlatform {
    if channel_type == ChannelType::Instagram { MetaPlatform::Instagram } else { MetaPlatform::Messenger }
}

/// A Graph client for a channel, from its resolved credentials.
pub fn client(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    channel: &entity::Model,
    resolved: Option<&serde_json::Value>,
) -> Result<MetaClient, SendError> {
    let creds: Creds = credentials::typed(resolved).map_err(|e| refuse("invalid_configuration", e))?;
    let channel_type = ChannelType::parse(&channel.channel_type).unwrap_or(ChannelType::FacebookMessenger);
    let platform = platform_of(channel_type);
    MetaClient::new(
        http.clone(),
        MetaConfig {
            base_url: endpoints.meta_graph_base_url.clone(),
            api_version: endpoints.meta_graph_version.clone(),
            access_token: creds.page_access_token,
            account_id: match platform {
                MetaPlatform::Messenger => channel.account_id.clone(),
                MetaPlatform::Instagram => None,
            },
            platform,
            token_placement: TokenPlacement::QueryParam,
        },
    )
    .map_err(|e| refuse("invalid_configuration", e.to_string()))
}

/// The sender's name from their Meta profile, for a new contact. Best effort: any
/// failure or a slow answer (more than `timeout`) gives `None`.
pub async fn fetch_profile_name(
    http: &reqwest::Client,
    endpoints: &Endpoints,
    channel: &entity::Model,
    resolved: Option<&serde_json::Value>,
    user_id: &str,
    timeout: Duration,
) -> Option<String> {
    let client = client(http, endpoints, channel, resolved).ok()?;
    match tokio::time::timeout(timeout, client.fetch_user_profile(user_id)).await {
        Ok(Ok(profile)) => profile.name.or(profile.username),
        Ok(Err(e)) => {
            tracing::debug!(channel_id = %channel.id, error = %e, "meta profile lookup failed");
            None
        }
        Err(_) => {
            tracing::debug!(channel_id = %channel.id, "meta profile lookup timed out");
            None
        }
    }
}

#[async_trait]
impl Adapter for MetaAdapter {
    fn provider(&self) -> &'static str {
        "meta"
    }

    fn validate_account_id(&self, account_id: Option<&str>) -> AppResult<()> {
        let id = account_id.map(str::trim).unwrap_or_default();
        let numeric = (5..=30).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit());
        match self.channel_type {
            ChannelType::Instagram => {
                check_account_id(numeric, "must be the numeric Instagram professional account id")
            }
            _ => check_account_id(numeric, "must be the numeric Page id"),
        }
    }

    fn validate_credentials(&self, credentials: Option<&Value>) -> AppResult<()> {
        let c: Credentials = required_credentials(self.channel_type, credentials)?;
        c.page_access_token.validate("pageAccessToken")?;
        c.app_secret.validate("appSecret")?;
        c.verify_token.validate("verifyToken")
    }

    fn verify(&self, _channel: &entity::Model, hook: &Webhook<'_>, keys: &ChannelKeys<'_>) -> Result<(), Refusal> {
        let app_secret = keys.credential("appSecret")?;
        // Only `X-Hub-Signature-256`: Meta sends it on every delivery, and the legacy
        // SHA-1 `X-Hub-Signature` alone is refused (SHA-1 HMACs are a weaker check, and
        // accepting either lets an attacker pick the weaker one).
        let valid = hook
            .header("x-hub-signature-256")
            .is_some_and(|sha256| wire::validate_signature_256(app_secret, hook.body, sha256));
        if valid { Ok(()) } else { Err(Refusal::Unauthenticated("bad_signature")) }
    }

    fn parse(&self, channel: &entity::Model, hook: &Webhook<'_>) -> AppResult<Parsed> {
        let (channel_type, events) = parse_delivery(hook.body)?;
        if channel_type != self.channel_type {
            return Err(AppError::field(
                "object",
                format!("this channel does not receive `{}` events", channel_type.as_str()),
            ));
        }
        // Only the entries addressed to this channel (a shared delivery may carry other
        // pages' entries, possibly of other tenants).
        let mine = events_for(events, channel.account_id.as_deref().unwrap_or_default());
        Ok(parsed(self.channel_type, self.provider(), hook.body, mine))
    }

    fn handshake(&self, query: &[(String, String)], keys: &ChannelKeys<'_>) -> AppResult<Option<String>> {
        Ok(wire::verify_challenge(query, keys.credential("verifyToken")?))
    }

    fn account_ids(&self, body: &[u8]) -> AppResult<Vec<(ChannelType, String)>> {
        let (channel_type, events) = parse_delivery(body)?;
        let mut ids: Vec<String> = events.into_iter().map(|(id, _)| id).collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(ids.into_iter().map(|id| (channel_type, id)).collect())
    }

    fn looks_up_profile_names(&self) -> bool {
        true
    }

    async fn profile_name(
        &self,
        channel: &entity::Model,
        keys: &ChannelKeys<'_>,
        user_id: &str,
        timeout: Duration,
    ) -> Option<String> {
        let resolved = keys.credentials().ok()?;
        fetch_profile_name(&self.http, &self.endpoints, channel, resolved, user_id, timeout).await
    }

    async fn send(&self, delivery: &Delivery<'_>) -> Result<SendOutcome, SendError> {
        let kind = if self.channel_type == ChannelType::Instagram { "instagram" } else { "facebook" };
        let recipient = identity_value(delivery.contact, kind, Some(delivery.channel.id))
            .ok_or_else(|| refuse("invalid_recipient", "The contact has no id on this channel"))?;
        let last_incoming = delivery.conversation["lastIncomingAt"]
            .as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|t| t.with_timezone(&Utc));
        let human_agent = match window(last_incoming, Utc::now()) {
            Window::Standard => false,
            Window::HumanAgent => true,
            Window::Closed => {
                return Err(refuse(
                    "outside_window",
                    "Meta only allows replies within 7 days of the customer's last message \
                     (24 hours, or 7 days as a human agent): wait for the customer to write again",
                ));
            }
        };
        let client = client(&self.http, &self.endpoints, delivery.channel, delivery.credentials)?;
        let tag = |m: OutboundMessage| if human_agent { m.with_human_agent_tag() } else { m };
        let text = text_of(delivery.message);
        let mut external_id = None;
        if let Some(media) = delivery.media.first() {
            let outbound = OutboundMessage::media(recipient.clone(), media_kind(media, delivery.message), &media.url);
            external_id = Some(client.send(&tag(outbound)).await?.external_id);
        }
        if let Some(text) = text {
            external_id = Some(client.send(&tag(OutboundMessage::text(recipient, text))).await?.external_id);
        }
        match external_id {
            Some(id) => Ok(SendOutcome { external_id: Some(id) }),
            None => Err(refuse("empty_message", "The message has no text and no attachment")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_windows() {
        let now = Utc::now();
        assert_eq!(window(Some(now - chrono::Duration::hours(23)), now), Window::Standard);
        assert_eq!(window(Some(now - chrono::Duration::hours(25)), now), Window::HumanAgent);
        assert_eq!(window(Some(now - chrono::Duration::days(6)), now), Window::HumanAgent);
        assert_eq!(window(Some(now - chrono::Duration::days(8)), now), Window::Closed);
        assert_eq!(window(None, now), Window::Closed);
    }
}
