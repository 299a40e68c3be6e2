//! Canned responses: per-tenant short codes with `{{contact.name}}`-style variables.

pub mod entity;
