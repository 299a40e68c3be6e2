//! HTTP plumbing shared by every route: extractors, middleware, health, static files.

pub mod csv;
pub mod health;
pub mod json;
pub mod middleware;
pub mod static_files;

pub use json::{Json, Path, Query, paging};
