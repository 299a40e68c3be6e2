//! Native CRM: contacts captured automatically from inbound messages, identities per
//! channel, notes, search, merge, CSV import and export.

pub mod changes;
pub mod csv_io;
pub mod entity;
pub mod import_export;
pub mod lead;
pub mod merge;
pub mod model;
pub mod phone;
pub mod records;
pub mod routes;
pub mod service;
pub mod store;
