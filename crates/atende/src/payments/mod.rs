//! Payments through Asaas: per-tenant settings (sealed API key, webhook URL and token),
//! contact ↔ Asaas customer mapping, charges created from a conversation (Pix, boleto,
//! card or payer's choice), live status from webhooks and on demand, and the link sent
//! into the conversation. The wire format lives in `providers::asaas`.
//!
//! Rules are split by responsibility: `account` (settings, keys, client), `errors`
//! (Asaas failures → API and job errors), `status` (status order and out-of-order
//! rules), `text` (money and localized messages), `customers` (contact ↔ customer),
//! `charges` (create, refresh, cancel, send) and `apply` (status changes, webhooks).

pub mod account;
pub mod apply;
pub mod charges;
pub mod customers;
pub mod entity;
pub mod errors;
pub mod model;
pub mod routes;
pub mod status;
pub mod store;
pub mod text;
pub mod webhook;
