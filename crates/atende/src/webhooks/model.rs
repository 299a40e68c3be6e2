//! The shapes of webhook intake, shared with the provider adapters
//! (`channels::adapters`): the request as received, what an adapter parses it into, and
//! the acknowledgements the routes answer with.

use axum::http::HeaderMap;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{error::AppError, inbox::model::Inbound};

/// One event of a delivery, ready to apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Normalized {
    /// A customer's message (or an echo of the business's own) for the inbox.
    Message(Inbound),
    /// A delivery status of one of our messages.
    Status(providers::StatusUpdate),
    /// Meta: every message up to a time was delivered or read.
    Watermark(providers::WatermarkUpdate),
    /// Z-API: the number connected or disconnected.
    Connection(providers::ConnectionEvent),
    /// Understood and not relevant (the reason is logged).
    Ignored { reason: String },
}

/// A delivery parsed once by its channel's adapter.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// What the delivery is about: a redelivery has the same key (the dedupe key of
    /// `webhook_events`, at most 200 characters).
    pub event_key: String,
    /// The events addressed to the channel, in order.
    pub events: Vec<Normalized>,
}

/// A webhook request as a provider sent it, before anything is trusted.
#[derive(Debug, Clone, Copy)]
pub struct Webhook<'a> {
    /// The URL the provider called, as it knows it (`ATENDE_PUBLIC_URL` + path + query).
    pub url: &'a str,
    /// A secret carried in the URL path, when the route has one.
    pub url_secret: Option<&'a str>,
    pub headers: &'a HeaderMap,
    /// The raw body, exactly as received (signatures are over these bytes).
    pub body: &'a [u8],
}

impl<'a> Webhook<'a> {
    /// A stored delivery read again (no URL, no headers: only `parse` may be used).
    pub fn stored(body: &'a [u8], headers: &'a HeaderMap) -> Self {
        Webhook { url: "", url_secret: None, headers, body }
    }

    /// A header as text.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// Why a webhook is not accepted before it is parsed.
#[derive(Debug)]
pub enum Refusal {
    /// Not from the provider, or not for this channel (`401 invalid_signature`); the
    /// reason is the metric's outcome (`bad_signature`, `wrong_account`, …).
    Unauthenticated(&'static str),
    /// The check itself could not run (credentials unreadable, …).
    Error(AppError),
}

impl From<AppError> for Refusal {
    fn from(e: AppError) -> Self {
        Refusal::Error(e)
    }
}

/// `{status: "accepted"|"duplicate", eventId?}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookAck {
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_id: Option<Uuid>,
}
