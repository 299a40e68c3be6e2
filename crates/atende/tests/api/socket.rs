//! A real `socket.io-client` (Node) driven over stdin/stdout, for realtime tests.

use std::{process::Stdio, time::Duration};

use serde_json::{Value, json};
use tokio::{
    io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines},
    process::{Child, ChildStdin, ChildStdout, Command},
};

pub struct SocketProbe {
    child: Child,
    stdin: ChildStdin,
    lines: Lines<BufReader<ChildStdout>>,
    /// Lines read while waiting for something else.
    seen: Vec<Value>,
    next_id: u64,
}

fn probe_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/socket-client")
}

impl SocketProbe {
    /// Starts a client against `base` with a token (or none) and waits for connect or error.
    pub async fn connect(base: &str, token: Option<&str>, origin: Option<&str>) -> (Self, Value) {
        assert!(
            probe_dir().join("node_modules/socket.io-client").exists(),
            "run `npm ci` in crates/atende/tests/socket-client (make test does)"
        );
        let mut cmd = Command::new("node");
        cmd.arg(probe_dir().join("probe.mjs")).arg(base).arg(token.unwrap_or("-")).arg("websocket");
        if let Some(origin) = origin {
            cmd.arg(origin);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("node");
        let stdin = child.stdin.take().expect("stdin");
        let lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut probe = SocketProbe { child, stdin, lines, seen: Vec::new(), next_id: 0 };
        let first = probe
            .wait_for(|v| v["type"] == "connect" || v["type"] == "connect_error", Duration::from_secs(10))
            .await
            .expect("the client reports connect or connect_error");
        (probe, first)
    }

    async fn read_line(&mut self, timeout: Duration) -> Option<Value> {
        match tokio::time::timeout(timeout, self.lines.next_line()).await {
            Ok(Ok(Some(line))) => serde_json::from_str(&line).ok(),
            _ => None,
        }
    }

    /// Waits for a line matching `pred`, keeping the others for later.
    pub async fn wait_for(&mut self, pred: impl Fn(&Value) -> bool, timeout: Duration) -> Option<Value> {
        if let Some(pos) = self.seen.iter().position(&pred) {
            return Some(self.seen.remove(pos));
        }
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            if left.is_zero() {
                return None;
            }
            let line = self.read_line(left).await?;
            if pred(&line) {
                return Some(line);
            }
            self.seen.push(line);
        }
    }

    /// The next `name` event's data.
    pub async fn event(&mut self, name: &str) -> Value {
        let line = self
            .wait_for(|v| v["type"] == "event" && v["name"] == name, Duration::from_secs(10))
            .await
            .unwrap_or_else(|| panic!("no `{name}` event within 10 s; saw {:?}", self.seen));
        line["data"].clone()
    }

    /// The next `name` event whose `field` is `value`, skipping earlier ones (an event
    /// committed before the socket connected may still be on its way on PostgreSQL).
    pub async fn event_with(&mut self, name: &str, field: &str, value: &str) -> Value {
        let line = self
            .wait_for(
                |v| v["type"] == "event" && v["name"] == name && v["data"][field] == value,
                Duration::from_secs(10),
            )
            .await
            .unwrap_or_else(|| panic!("no `{name}` event with {field} = {value} within 10 s; saw {:?}", self.seen));
        line["data"].clone()
    }

    /// Asserts no `name` event arrives within `wait`.
    pub async fn no_event(&mut self, name: &str, wait: Duration) {
        let got = self.wait_for(|v| v["type"] == "event" && v["name"] == name, wait).await;
        assert!(got.is_none(), "unexpected `{name}`: {got:?}");
    }

    /// Emits an event with an ack and returns the ack's data.
    pub async fn emit(&mut self, name: &str, data: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let line = json!({"id": id, "emit": name, "data": data}).to_string() + "\n";
        self.stdin.write_all(line.as_bytes()).await.expect("write");
        self.stdin.flush().await.expect("flush");
        let ack = self.wait_for(|v| v["type"] == "ack" && v["id"] == id, Duration::from_secs(10)).await.expect("ack");
        ack["data"].clone()
    }

    pub async fn close(mut self) {
        drop(self.stdin);
        let _ = tokio::time::timeout(Duration::from_secs(5), self.child.wait()).await;
    }
}
