//! Remote work: work sessions, idle periods, presence (ACTIVE / IDLE / OFFLINE), the
//! server's fallback sweeper, auto-logout and the live manager board (SPEC §7,
//! DESIGN.md §7). Depends on events, tenancy, settings, db and auth only (and on the
//! users/teams tables' plain entities); never on inbox, contacts or channels.
//!
//! - `presence` — the pure state machine (clock passed in, unit-tested).
//! - `service` — signals, the sweeper, login/logout, views, settings.
//! - `projector` — the outbox subscriber: login opens, logout/revocation closes.
//! - `routes` — `/api/v1/activity/*` and `/api/v1/settings/productivity`.

pub mod entity;
pub mod model;
pub mod presence;
pub mod projector;
pub mod routes;
pub mod service;
pub mod store;
