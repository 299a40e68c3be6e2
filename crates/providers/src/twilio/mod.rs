//! Twilio Programmable Messaging, WhatsApp channel.
//!
//! Quirks (see `reference/external-apis.md` §1):
//! - The 2010 API answers XML unless the path ends in `.json`; requests are
//!   `application/x-www-form-urlencoded`, lists repeat the key (`MediaUrl`).
//! - Addresses carry a `whatsapp:` prefix (`whatsapp:+5511987654321`); `WaId` is
//!   the same number without `+`.
//! - Send answers **201**; `num_media`, `num_segments` and `price` are strings,
//!   dates are RFC 2822.
//! - 429 is error 20429 (too many *concurrent* requests), never processed, always
//!   safe to retry. No `Retry-After` is documented on this API, but it is honoured
//!   when present.
//! - Outside the 24-hour window only templates (`ContentSid`) go through; a
//!   template sent as `Body` fails with 63016.
//! - `X-Twilio-Signature` = Base64(HMAC-SHA1(auth token, URL + sorted name+value
//!   pairs)), with decoded values; Twilio is inconsistent about the port, so the
//!   URL is tried with and without it (and with the query re-serialized the way
//!   the Node helper does). JSON bodies are signed via a `bodySHA256` query param.
//! - Twilio adds webhook parameters at any time: every received key goes into the
//!   signature, unknown keys are ignored by the parser.
//! - Status callbacks arrive out of order and include transitional states
//!   (`queued`, `sending`, `accepted`) that carry no information for us.
//! - The inbound webhook must be answered with TwiML (`text/xml`); an empty
//!   `<Response/>` sends no reply.

mod client;
mod inbound;
mod signature;

pub use client::{DEFAULT_BASE_URL, TwilioClient, TwilioConfig, TwilioCredentials, TwilioSender};
pub use inbound::{
    EMPTY_TWIML, TWIML_CONTENT_TYPE, describe_error_code, map_message_status, parse_form, parse_inbound_message,
    parse_status_callback, parse_webhook,
};
pub use signature::{compute_signature, validate_json_signature, validate_signature};
