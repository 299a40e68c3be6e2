//! The core loop: conversations and messages. `ingest` is the only way in, `send`
//! (with the delivery job) the only way out.

pub mod activity;
pub mod attachments;
pub mod categories;
pub mod contact_records;
pub mod delivery;
pub mod entity;
pub mod ingest;
pub mod model;
pub mod receipts;
pub mod resend;
pub mod routes;
pub mod routing;
pub mod search;
pub mod service;
pub mod store;
pub mod views;
pub mod visibility;
