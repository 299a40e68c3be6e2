//! Atende: multi-tenant omnichannel customer communication (inbox, CRM, payments,
//! productivity). `main.rs` is thin; everything lives here so tests can drive it.

pub mod app;
pub mod audit;
pub mod auth;
pub mod bootstrap;
pub mod canned;
pub mod channels;
pub mod cli;
pub mod clock;
pub mod config;
pub mod contacts;
pub mod crypto;
pub mod db;
pub mod error;
pub mod events;
pub mod http;
pub mod inbox;
pub mod jobs;
pub mod payments;
pub mod platform;
pub mod productivity;
pub mod realtime;
pub mod scheduler;
pub mod search;
pub mod security;
pub mod settings;
pub mod state;
pub mod teams;
pub mod telemetry;
pub mod tenancy;
pub mod users;
pub mod webhooks;

#[cfg(test)]
mod architecture_tests;
