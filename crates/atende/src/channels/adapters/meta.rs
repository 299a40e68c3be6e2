//! FACEBOOK_MESSENGER and INSTAGRAM: agent messages through Meta's Send API.
//!
//! Provider quirks (reference §2; wire details in `providers::meta`):
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
    ChannelAdapter, OutboundMessage,
    meta::{MetaClient, MetaConfig, MetaPlatform, TokenPlacement},
};
use serde::Deserialize;

use super::{Adapter, Delivery, Endpoints, SendError, SendOutcome, identity_value, media_kind, refuse, text_of};
use crate::channels::{credentials, entity, model::ChannelType};

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
