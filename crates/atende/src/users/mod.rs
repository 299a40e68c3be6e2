//! Tenant users: agents, managers and admins.

pub mod entity;
pub mod model;
pub mod routes;
pub mod service;
pub mod store;
