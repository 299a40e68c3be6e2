//! Inbound webhooks: one route per provider that verifies, stores the raw event,
//! enqueues processing and answers at once — nothing else. Processing happens in the
//! `process_webhook` job, where the provider's parser and `inbox::ingest` run.

pub mod api;
pub mod entity;
pub mod meta;
pub mod process;
pub mod service;
pub mod store;
pub mod twilio;
pub mod zapi;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;

/// Every webhook route (outside `/api/v1`: providers call them, not users).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(api::receive))
        .routes(routes!(twilio::inbound))
        .routes(routes!(twilio::status))
        .routes(routes!(zapi::receive))
        .routes(routes!(meta::verify, meta::receive))
        .routes(routes!(meta::verify_shared, meta::receive_shared))
}
