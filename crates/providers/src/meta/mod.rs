//! Meta Graph API: Messenger Platform and Instagram Messaging.
//!
//! Quirks (see `reference/external-apis.md` §2):
//! - Webhook setup is a GET handshake: `hub.mode=subscribe`, `hub.verify_token`,
//!   and the raw `hub.challenge` echoed back as the body (403 otherwise). Some
//!   stacks turn the dots into underscores (`hub_mode`); both are accepted.
//! - `X-Hub-Signature-256: sha256=<hex>` is HMAC-SHA256 over the **raw** body.
//!   Meta signs the escaped-unicode form (`\u00e1`), so the body must never be
//!   re-serialized before checking. The legacy `X-Hub-Signature: sha1=` exists too.
//! - One POST batches several `entry[]` (one per Page / IG account) and several
//!   events per entry; `object` is `page` (Messenger) or `instagram`. Events can
//!   arrive under `standby` (handover) and, in newer test payloads, as
//!   `changes[{field, value}]` with string-typed numbers: all three are read.
//! - Echoes (`is_echo`) are messages the Page sent: sender = Page, recipient =
//!   user. They are normalized with `from` = the user and `is_echo = true`.
//! - `delivery` may omit `mids` and has no `timestamp`; `read` only has a
//!   `watermark` (Messenger) or a `mid` (Instagram): watermarks become
//!   [`crate::InboundEvent::Watermark`].
//! - Errors come as `{"error":{message,type,code,error_subcode,fbtrace_id}}`,
//!   usually HTTP 400 **even for rate limits** (codes 4, 17, 32, 613,
//!   80000–80014), so the code, not the status, decides retryability.
//!   10/2018278 is "outside the allowed window", 551 "person not available",
//!   190 an expired token.
//! - A Messenger attachment cannot carry text: a media message with a caption is
//!   refused (`unsupported_content`); send the caption as its own text message.
//! - Instagram text is limited to 1000 bytes.
//! - Outside the 24-hour window only `MESSAGE_TAG` + `HUMAN_AGENT` (7 days,
//!   human replies only) is used here.

mod client;
mod webhook;

pub use client::{
    DEFAULT_GRAPH_BASE_URL, DEFAULT_GRAPH_VERSION, INSTAGRAM_GRAPH_BASE_URL, MetaClient, MetaConfig, TokenPlacement,
    UserProfile,
};
pub use webhook::{MetaPlatform, parse_webhook, validate_signature_256, validate_signature_sha1, verify_challenge};
