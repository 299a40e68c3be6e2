//! Native CRM: contacts captured automatically from inbound messages, identities per
//! channel, notes, search, merge, CSV import and export.

pub mod entity;
pub mod model;
pub mod store;
