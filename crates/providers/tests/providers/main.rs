//! Golden tests on real-format payloads (tests/fixtures) and client tests
//! against wiremock servers. One binary for all providers.

mod asaas;
mod meta;
mod support;
mod twilio;
mod zapi;
