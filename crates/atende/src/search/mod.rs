//! Global search (`GET /api/v1/search`): contacts, conversations and message text at
//! once, as people type (accents and case ignored, phones by digits), with the
//! matching parts marked. Composes the contacts' and the inbox's own searches; the
//! text rules are the `search-text` crate's.

pub mod model;
pub mod routes;
pub mod service;
