//! Integration tests: one binary, the real server on a random port, a fresh database
//! per test (SQLite file, or a fresh PostgreSQL database when ATENDE_TEST_DB=postgres).

#[allow(dead_code)]
mod helpers;

mod auth;
mod canned;
mod cli;
mod contacts;
mod core_helpers;
mod core_loop;
mod http_hygiene;
mod inbox;
mod isolation;
mod payments;
mod platform;
mod realtime;
mod roles;
mod socket;
mod teams;
mod users;
