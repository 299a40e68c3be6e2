//! Identity: login sessions backing JWTs, personal API tokens, password hashing,
//! login throttling and the extractors that turn a request into a `Scope`.

pub mod entity;
pub mod extract;
pub mod password;
pub mod rate_limit;
pub mod routes;
pub mod service;
pub mod store;
pub mod token;

/// Name of the HttpOnly session cookie.
pub const SESSION_COOKIE: &str = "atende_session";
