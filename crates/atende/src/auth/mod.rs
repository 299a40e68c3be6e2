//! Identity: login sessions backing JWTs, personal API tokens, password hashing,
//! login throttling and the extractors that turn a request into a `Scope`.

pub mod entity;
pub mod extract;
pub mod routes;
pub mod service;
pub mod store;

// Token keys and login limits live below the domains (shared state holds them).
pub use crate::security::{password, rate_limit, token};

/// Name of the HttpOnly session cookie.
pub const SESSION_COOKIE: &str = "atende_session";
