//! Payments through Asaas: per-tenant settings (sealed API key, webhook URL and token),
//! contact ↔ Asaas customer mapping, charges created from a conversation (Pix, boleto,
//! card or payer's choice), live status from webhooks and on demand, and the link sent
//! into the conversation. The wire format lives in `providers::asaas`.

pub mod entity;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;
pub mod webhook;
