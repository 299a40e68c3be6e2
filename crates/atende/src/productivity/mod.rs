//! Remote work: work sessions, idle periods, presence (ACTIVE / IDLE / OFFLINE), the
//! server's fallback sweeper, auto-logout and the live manager board (SPEC §7,
//! DESIGN.md §7). Depends on events, tenancy, settings, db and auth only (and on the
//! users/teams tables' plain entities); never on inbox, contacts or channels.
//!
//! - `presence` — the pure state machine (clock passed in, unit-tested).
//! - `service` — signals, the sweeper, login/logout, views, settings.
//! - `projector` — the outbox subscribers: login opens, logout/revocation closes; the
//!   metrics projector (`facts` is its pure part, `facts_store` its SQL, `rebuild` its
//!   replay command).
//! - `metrics` — DESIGN.md §6 computed from facts, events and sessions (pure).
//! - `reports` — the reports service (scope, filters, CSV via `spreadsheet`); `reports_routes`.
//! - `categories` — interaction categories and conversation tagging.
//! - `routes` — `/api/v1/activity/*` and `/api/v1/settings/productivity`.

pub mod board;
pub mod categories;
pub mod categories_routes;
pub mod categories_store;
pub mod entity;
pub mod facts;
pub mod facts_store;
pub mod metrics;
pub mod model;
pub mod presence;
pub mod projector;
pub mod rebuild;
pub mod reports;
pub mod reports_csv;
pub mod reports_model;
pub mod reports_query;
pub mod reports_routes;
pub mod routes;
pub mod service;
pub mod spreadsheet;
pub mod store;
