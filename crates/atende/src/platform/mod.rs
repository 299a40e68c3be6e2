//! The platform level: super admins and the tenants they manage. Nothing here is
//! tenant-scoped, which is why it lives apart from every tenant module.

pub mod auth;
pub mod entity;
pub mod routes;
pub mod service;
pub mod store;
