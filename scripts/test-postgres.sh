#!/usr/bin/env bash
# Runs the integration suite against PostgreSQL. Each test creates and drops its own
# database. Skips (loudly) only outside CI when no server answers; CI never skips.
set -euo pipefail
url="${ATENDE_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres}"
hostport=$(python3 - "$url" <<'PY'
import sys, urllib.parse
p = urllib.parse.urlparse(sys.argv[1])
print(p.hostname or "127.0.0.1", p.port or 5432)
PY
)
read -r host port <<<"$hostport"
if ! (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
  if [ -n "${CI:-}" ]; then
    echo "PostgreSQL is not reachable at $host:$port and CI must not skip it" >&2
    exit 1
  fi
  echo "SKIPPED: PostgreSQL not reachable at $host:$port (start it with ../shared/services.sh postgres)"
  exit 0
fi
ATENDE_TEST_DB=postgres cargo test -p atende --test api
