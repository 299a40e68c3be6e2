//! Outbound adapters, one per channel type, behind one trait. Adapters translate and
//! call the provider; they never touch the database (the delivery job does).

pub mod api;

use async_trait::async_trait;
pub use providers::SendError;
use serde_json::Value;

use super::{entity, model::ChannelType};

/// Everything an adapter needs to deliver one agent message.
pub struct Delivery<'a> {
    pub channel: &'a entity::Model,
    /// The channel's webhook secret (the API channel signs callbacks with it).
    pub secret: &'a [u8],
    /// Decrypted provider credentials, when the channel has any.
    pub credentials: Option<&'a Value>,
    /// REST shapes of the message, its conversation and contact.
    pub message: &'a Value,
    pub conversation: &'a Value,
    pub contact: &'a Value,
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
    async fn send(&self, delivery: &Delivery<'_>) -> Result<SendOutcome, SendError>;
}

/// The adapter for a channel type, if that type can send yet.
pub fn for_type(channel_type: ChannelType, http: &reqwest::Client) -> Option<Box<dyn Adapter>> {
    match channel_type {
        ChannelType::Api => Some(Box::new(api::ApiAdapter::new(http.clone()))),
        _ => None,
    }
}
