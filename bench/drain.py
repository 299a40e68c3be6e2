#!/usr/bin/env python3
"""How fast the inbound pipeline applies stored deliveries, on its own.

  python3 bench/drain.py [--engines postgres sqlite] [-n 4000] [--contacts 500] [--bin PATH]

For each engine: starts the release server with the pipeline off
(ATENDE_WORKERS=0), posts N signed API-channel webhooks (all acknowledged and
stored, nothing applied), restarts the server with the pipeline on (default lanes, or
--lanes) and times how long it takes to apply them all: processed/s = N / (newest
message's created_at - oldest's). Load generator and server never compete for the
CPU during the measured part, so this is the pipeline's own rate.

In the same run it measures each engine's raw ceiling for comparison: PostgreSQL, pgbench
(-c 8, 10 s) of one single-row INSERT per transaction into a messages-shaped table;
SQLite, a loop of single-row INSERT transactions (WAL, synchronous=NORMAL, as the server
opens it). Stdlib only, plus psql/pgbench for PostgreSQL."""
import argparse, hashlib, hmac, http.client, json, os, signal, sqlite3, subprocess, tempfile, threading, time
import urllib.request, uuid

PG = os.environ.get("PGHOST_URL", "postgresql://postgres@127.0.0.1:5432")
def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PORT = free_port()


def call(path, body, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = "Bearer " + token
    req = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", json.dumps(body).encode(), headers)
    return json.load(urllib.request.urlopen(req))


def wait_ready(proc):
    for _ in range(300):
        if proc.poll() is not None:
            raise SystemExit("server exited")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/readyz")
            return time.time()
        except Exception:
            time.sleep(0.05)
    raise SystemExit("server not ready")


def post_all(channel, secret, n, contacts, conns=16):
    run = uuid.uuid4().hex[:8]
    bodies = []
    for i in range(n):
        body = json.dumps({"externalId": f"{run}-{i}", "contact": {"identifier": f"{run}-c{i % contacts}",
                           "name": f"Cliente {i % contacts}"}, "content": f"mensagem {i}"}).encode()
        bodies.append((body, "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()))
    lock, errors = threading.Lock(), []

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", PORT)
        while True:
            with lock:
                if not bodies:
                    return
                body, sig = bodies.pop(0)
            conn.request("POST", f"/webhooks/api/{channel}", body,
                         {"Content-Type": "application/json", "X-Atende-Signature": sig})
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                errors.append(resp.status)

    threads = [threading.Thread(target=worker) for _ in range(conns)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"{len(errors)} webhooks refused: {errors[:5]}")


def count_and_newest(engine, dbspec, channel):
    sql = f"SELECT count(*), min(created_at), max(created_at) FROM messages WHERE channel_id = '{channel}'"
    if engine == "sqlite":
        with sqlite3.connect(dbspec) as db:
            # sea-orm keeps UUIDs as 16-byte blobs in SQLite.
            n, oldest, newest = db.execute(sql.replace(f"'{channel}'", "?"), (uuid.UUID(channel).bytes,)).fetchone()
        return n, (oldest, newest)
    sql = sql.replace("min(created_at)", "extract(epoch from min(created_at))")
    out = subprocess.run(["psql", dbspec, "-XAtc", sql.replace("max(created_at)", "extract(epoch from max(created_at))")],
                         capture_output=True, text=True, check=True).stdout.strip()
    n, oldest, newest = out.split("|")
    return int(n), (oldest, newest)


def epoch_of(engine, newest):
    if engine == "postgres":
        return float(newest)
    import re
    from datetime import datetime
    # SQLite keeps RFC 3339 text, possibly with nanoseconds: Python takes microseconds.
    text = re.sub(r"(\.\d{6})\d+", r"\1", newest.replace("Z", "+00:00"))
    return datetime.fromisoformat(text).timestamp()


def serve(binary, env, lanes, pipeline=True):
    if not pipeline:
        env = dict(env, ATENDE_WORKERS="0")  # no workers: no lanes either
    elif lanes is not None:
        env = dict(env, ATENDE_INBOUND_LANES=str(lanes))
    return subprocess.Popen([binary, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)


def drain(binary, engine, n, contacts, lanes):
    tmp = tempfile.mkdtemp()
    env = dict(os.environ, ATENDE_BIND=f"127.0.0.1:{PORT}", ATENDE_DATA_DIR=tmp, RUST_LOG="warn",
               ATENDE_DEMO_WORKSPACE="")
    db = None
    if engine == "postgres":
        db = "drain_" + uuid.uuid4().hex[:8]
        subprocess.run(["psql", f"{PG}/postgres", "-Xqc", f"CREATE DATABASE {db}"], check=True)
        env["DATABASE_URL"] = dbspec = f"{PG}/{db}"
    else:
        env["DATABASE_URL"] = ""
        dbspec = os.path.join(tmp, "atende.db")
    try:
        subprocess.run([binary, "tenant", "create", "--slug", "bench", "--name", "Bench", "--admin-email",
                        "bench@example.com", "--admin-password", "bench-pass-123"], env=env, check=True,
                       capture_output=True)
        proc = serve(binary, env, lanes, pipeline=False)
        wait_ready(proc)
        token = call("/api/v1/auth/login", {"workspace": "bench", "email": "bench@example.com",
                                            "password": "bench-pass-123"})["token"]
        created = call("/api/v1/channels", {"type": "API", "name": "bench", "callbackUrl": "http://127.0.0.1:9/cb"},
                       token)
        channel = created["channel"]["id"]
        t0 = time.time()
        post_all(channel, created["webhookSecret"], n, contacts)
        acked = n / (time.time() - t0)
        stop(proc)
        proc = serve(binary, env, lanes)
        ready = wait_ready(proc)
        while True:
            done, span = count_and_newest(engine, dbspec, channel)
            if done >= n:
                break
            if time.time() - ready > 600:
                raise SystemExit(f"only {done}/{n} applied after 600 s")
            time.sleep(0.05)
        stop(proc)
        # From the first message applied (the new process may wait for the old one's
        # pipeline lease) to the last.
        took = epoch_of(engine, span[1]) - epoch_of(engine, span[0])
        return {"engine": engine, "n": n, "acked_per_s": acked, "drain_s": took, "processed_per_s": (n - 1) / took,
                "first_after_ready_s": epoch_of(engine, span[0]) - ready}
    finally:
        if db:
            subprocess.run(["psql", f"{PG}/postgres", "-Xqc", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"])


def pg_ceiling():
    db = "raw_" + uuid.uuid4().hex[:8]
    subprocess.run(["psql", f"{PG}/postgres", "-Xqc", f"CREATE DATABASE {db}"], check=True)
    try:
        subprocess.run(["psql", f"{PG}/{db}", "-Xqc",
                        "CREATE TABLE m (id uuid PRIMARY KEY, conversation_id uuid NOT NULL, external_id text, "
                        "content text, created_at timestamptz NOT NULL); "
                        "CREATE INDEX ON m (conversation_id, created_at); CREATE UNIQUE INDEX ON m (external_id)"],
                       check=True)
        script = tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False)
        script.write("INSERT INTO m VALUES (gen_random_uuid(), gen_random_uuid(), gen_random_uuid()::text, "
                     "'mensagem', now());\n")
        script.close()
        out = subprocess.run(["pgbench", "-n", "-c", "8", "-j", "2", "-T", "10", "-f", script.name, f"{PG}/{db}"],
                             capture_output=True, text=True, check=True).stdout
        return float(next(l for l in out.splitlines() if l.startswith("tps =")).split()[2])
    finally:
        subprocess.run(["psql", f"{PG}/postgres", "-Xqc", f"DROP DATABASE IF EXISTS {db} WITH (FORCE)"])


def sqlite_ceiling(seconds=5.0):
    tmp = tempfile.mkdtemp()
    db = sqlite3.connect(os.path.join(tmp, "raw.db"), isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("CREATE TABLE m (id TEXT PRIMARY KEY, conversation_id TEXT NOT NULL, external_id TEXT UNIQUE, "
               "content TEXT, created_at TEXT NOT NULL)")
    db.execute("CREATE INDEX m_conv ON m (conversation_id, created_at)")
    n, start = 0, time.time()
    while time.time() - start < seconds:
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO m VALUES (?, ?, ?, 'mensagem', datetime('now'))",
                   (str(uuid.uuid4()), str(uuid.uuid4()), str(uuid.uuid4())))
        db.execute("COMMIT")
        n += 1
    return n / (time.time() - start)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--engines", nargs="+", default=["postgres", "sqlite"])
    ap.add_argument("-n", type=int, default=4000)
    ap.add_argument("--contacts", type=int, default=500)
    ap.add_argument("--lanes", type=int, default=None, help="ATENDE_INBOUND_LANES (default: the server's)")
    ap.add_argument("--bin", default=None, help="release binary (default: from cargo metadata)")
    args = ap.parse_args()
    binary = args.bin or os.path.join(json.loads(subprocess.run(
        ["cargo", "metadata", "--format-version", "1", "--no-deps"], capture_output=True, text=True,
        check=True).stdout)["target_directory"], "release", "atende")
    for engine in args.engines:
        ceiling = pg_ceiling() if engine == "postgres" else sqlite_ceiling()
        r = drain(binary, engine, args.n, args.contacts, args.lanes)
        print(f"{engine:<9} raw ceiling {ceiling:8.0f}/s   pipeline {r['processed_per_s']:7.0f} msg/s "
              f"({r['processed_per_s'] / ceiling:.2f} x ceiling; {r['n']} in {r['drain_s']:.2f} s; "
              f"acked beforehand at {r['acked_per_s']:.0f}/s)", flush=True)


if __name__ == "__main__":
    main()
