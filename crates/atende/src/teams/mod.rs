//! Teams of agents, and which managers supervise them.

pub mod entity;
pub mod routes;
pub mod service;
pub mod store;
