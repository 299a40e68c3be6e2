//! Canned responses: per-tenant short codes with `{{contact.name}}`-style variables.

pub mod entity;
pub mod model;
pub mod render;
pub mod routes;
pub mod service;
pub mod store;

pub use render::{Vars, render};
