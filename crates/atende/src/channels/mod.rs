//! Channels: a tenant's connections to providers (and the generic API channel), with
//! credentials sealed at rest and one adapter per provider behind `adapters::Adapter`.

pub mod adapters;
pub mod connection;
pub mod credentials;
pub mod entity;
pub mod model;
pub mod routes;
pub mod service;
pub mod simulate;
pub mod store;
