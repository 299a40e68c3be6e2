//! Inbound webhooks: one route per provider that verifies, stores the raw event,
//! enqueues processing and answers at once — nothing else. Processing happens in the
//! `process_webhook` job, where the provider's parser and `inbox::ingest` run.

pub mod api;
pub mod entity;
pub mod process;
pub mod service;
pub mod store;

use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;

/// Every webhook route (outside `/api/v1`: providers call them, not users).
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(api::receive))
}
