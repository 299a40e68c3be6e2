//! Fixture loading and small helpers shared by the provider tests.

use std::path::PathBuf;

use wiremock::MockServer;

/// Raw bytes of `tests/fixtures/{name}`.
pub fn fixture(name: &str) -> Vec<u8> {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", name].iter().collect();
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// A form-encoded fixture decoded into pairs.
pub fn form_fixture(name: &str) -> Vec<(String, String)> {
    providers::twilio::parse_form(fixture(name).trim_ascii_end())
}

/// Sets (or adds) a form parameter.
pub fn with_param(mut params: Vec<(String, String)>, key: &str, value: &str) -> Vec<(String, String)> {
    match params.iter_mut().find(|(k, _)| k == key) {
        Some((_, v)) => *v = value.to_owned(),
        None => params.push((key.to_owned(), value.to_owned())),
    }
    params
}

/// The only request a mock server received.
pub async fn single_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recording enabled");
    assert_eq!(requests.len(), 1, "expected exactly one request: {requests:?}");
    requests.remove(0)
}

/// Base URL of a port nothing listens on (connection refused).
pub fn dead_server_uri() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    format!("http://127.0.0.1:{port}")
}
