//! Z-API (z-api.io), an unofficial WhatsApp Web gateway.
//!
//! Quirks (see `reference/external-apis.md` §3):
//! - The instance id **and token are path segments**
//!   (`/instances/{id}/token/{token}/send-text`): URLs are secrets and are never
//!   logged or put in error messages. Every call also carries `Client-Token`;
//!   without it Z-API answers `{"error":"null not allowed"}`.
//! - Errors may come with HTTP 200 and an `error` key (unknown routes answer
//!   `{"error":"NOT_FOUND",...}`), so the body is checked even on success.
//! - Phones are digits only (`5511987654321`), no `+`.
//! - Sends are queued server-side (random 1–3 s gap, kept while the phone is
//!   offline) and answer `{"zaapId","messageId","id"}`; `messageId` is the
//!   WhatsApp id used by later status callbacks.
//! - Documents are sent to `/send-document/{extension}`.
//! - Webhooks are **not signed**: authenticity comes from an unguessable URL
//!   secret plus [`verify_instance`] on the payload's `instanceId`.
//! - Callback `type` spelling varies (`ReceivedCallBack` in the docs table,
//!   `ReceivedCallback` in examples): matched case-insensitively. The time
//!   field is spelled `momment` and may be seconds or milliseconds.
//! - `MessageStatusCallback` carries an `ids` **array** (one update per id);
//!   `RECEIVED` means delivered, `PLAYED` (voice notes) counts as read,
//!   `READ_BY_ME` is our own read receipt and is ignored.
//! - `DeliveryCallback` only means "handed to WhatsApp" (→ `Sent`).
//! - Media URLs in callbacks expire after 30 days.
//! - Group, newsletter and status-broadcast messages are ignored: Atende is a
//!   one-to-one inbox.
//! - QR codes expire about every 20 s; poll `/qr-code/image` every 10–20 s.

mod client;
mod webhook;

pub use client::{DEFAULT_BASE_URL, InstanceStatus, QrCode, WebhookKind, ZapiClient, ZapiConfig, ZapiCredentials};
pub use webhook::{ParseOptions, callback_instance_id, parse_callback, parse_callback_with, verify_instance};
