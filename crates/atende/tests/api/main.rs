//! Integration tests: one binary, the real server on a random port, a fresh database
//! per test (SQLite file, or a fresh PostgreSQL database when ATENDE_TEST_DB=postgres).

#[allow(dead_code)]
mod helpers;

mod audit_log;
mod auth;
mod canned;
#[allow(dead_code)]
mod channel_helpers;
mod channels_fuzz;
mod channels_meta;
mod channels_simulate;
mod channels_twilio;
mod channels_zapi;
mod cli;
mod contacts;
mod core_helpers;
mod core_loop;
mod events;
mod http_hygiene;
mod inbox;
mod inbox_assign;
mod isolation;
mod isolation_routes;
mod ordering;
mod payments;
mod platform;
mod presence;
mod productivity;
mod realtime;
mod role_matrix;
mod roles;
mod route_cases;
mod search;
mod security;
mod socket;
mod teams;
mod users;
