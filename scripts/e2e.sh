#!/usr/bin/env bash
# End-to-end: start the real server (debug build, fresh SQLite data folder, built web
# app) on a free port and drive it with headless Chromium through playwright-core.
set -euo pipefail
cd "$(dirname "$0")/.."
chromium_bin="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium_bin" ]; then
  echo "Chromium not found at $chromium_bin: apt-get install -y chromium (CI does this in .ci/run)" >&2
  exit 1
fi
# --tests: same feature set as `cargo test`, so CI reuses that build instead of
# compiling the server a second time with dev-dependency features switched off.
cargo build -p atende --tests
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# The integrator callback the suite runs listens on loopback: allow private addresses.
data_dir=$(mktemp -d)
log="$data_dir/server.log"
password="e2e-$(date +%s)-pass"
ATENDE_BIND="127.0.0.1:$port" ATENDE_DATA_DIR="$data_dir" ATENDE_WEB_DIR="$PWD/web/dist" \
  ATENDE_DEMO_PASSWORD="$password" DATABASE_URL="" RUST_LOG=warn \
  ATENDE_OUTBOUND_ALLOW_PRIVATE=true \
  "$target_dir/debug/atende" serve >"$log" 2>&1 &
server=$!
cleanup() { kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$data_dir"; }
trap cleanup EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "http://127.0.0.1:$port/readyz" >/dev/null || { echo "server did not start:"; cat "$log"; exit 1; }
cd web
BASE_URL="http://127.0.0.1:$port" E2E_WORKSPACE=demo E2E_EMAIL=admin@demo.atende.local E2E_PASSWORD="$password" \
  CHROMIUM_PATH="$chromium_bin" npm run --silent e2e
