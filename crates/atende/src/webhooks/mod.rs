//! Inbound webhooks, provider-agnostic: `routes` (the route table) extracts the
//! request, `intake` has the channel's adapter verify and parse it once, `service`
//! stores the raw delivery with its normalised events and the route answers at once.
//! The stored row is the queue entry: `pipeline` applies deliveries in arrival order
//! per sender, in batches.

pub mod entity;
pub mod intake;
pub mod model;
pub mod pipeline;
pub mod routes;
pub mod service;
pub mod store;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// Every webhook route (outside `/api/v1`: providers call them, not users).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(self::routes::receive_api))
        .routes(routes!(self::routes::receive_twilio))
        .routes(routes!(self::routes::receive_twilio_status))
        .routes(routes!(self::routes::receive_zapi))
        .routes(routes!(self::routes::handshake_meta, self::routes::receive_meta))
        .routes(routes!(self::routes::handshake_meta_shared, self::routes::receive_meta_shared))
}

/// A request path safe to log: secrets carried in URLs (the Z-API webhook secret, the
/// signature of a public media link) are masked.
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    let segments: Vec<&str> = path.split('/').collect();
    match segments.as_slice() {
        ["", "webhooks", "zapi", channel, _secret, ..] => format!("/webhooks/zapi/{channel}/***").into(),
        // The Asaas webhook key is the whole credential of that URL.
        ["", "webhooks", "asaas", _key, ..] => "/webhooks/asaas/***".into(),
        ["", "media", id, _, _, ..] => format!("/media/{id}/***").into(),
        _ => path.into(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn url_secrets_are_masked_in_logs() {
        assert_eq!(super::loggable_path("/webhooks/zapi/abc/s3cr3t"), "/webhooks/zapi/abc/***");
        assert_eq!(super::loggable_path("/media/id/123/sig"), "/media/id/***");
        assert_eq!(super::loggable_path("/webhooks/asaas/whk_s3cr3t"), "/webhooks/asaas/***");
        assert_eq!(super::loggable_path("/webhooks/twilio/abc"), "/webhooks/twilio/abc");
        assert_eq!(super::loggable_path("/api/v1/channels"), "/api/v1/channels");
    }
}
