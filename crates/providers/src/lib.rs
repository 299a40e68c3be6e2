//! Provider wire formats for Atende: Twilio (WhatsApp), Meta (Messenger and
//! Instagram), Z-API (WhatsApp) and Asaas (payments).
//!
//! This crate holds no database handle and no application state. It turns the
//! providers' wire formats into the normalized types of [`common`], checks
//! webhook signatures, and talks to the providers over HTTP with a
//! caller-supplied [`reqwest::Client`] and an overridable base URL (tests point
//! it at local mock servers).
//!
//! - [`twilio`]: `X-Twilio-Signature`, inbound/status form parsing, Messages API client.
//! - [`meta`]: `hub.challenge`, `X-Hub-Signature-256`, webhook parsing, Send API, user profile.
//! - [`zapi`]: callback parsing, instance check, instance and send endpoints.
//! - [`asaas`]: customers, payments, Pix QR code, webhooks, money in cents, CPF/CNPJ.

#![warn(missing_docs)]

pub mod asaas;
pub mod common;
mod http;
pub mod meta;
pub mod twilio;
pub mod zapi;

pub use common::{
    Attachment, ChannelAdapter, ConfigError, ConnectionEvent, ContentType, DeliveryStatus, InboundEvent,
    InboundMessage, Location, OutboundMessage, ParseError, ProviderError, SendError, SendResult, SenderIdentity,
    SenderKind, StatusUpdate, Template, WatermarkUpdate,
};
