#!/usr/bin/env python3
"""Presence heartbeats under load: N signed-in agents each POST /api/v1/activity/heartbeat
every P seconds (default 200 agents x 1/30 s, the issue's target), for D seconds. Prints
the request rate, latency percentiles and, with --pid, the server's CPU use over the run
(from /proc/<pid>/stat: utime+stime), which is what the issue budgets (< 1 % of a core).

  ATENDE_LOGIN_RATE_PER_IP=100000 ATENDE_LOGIN_RATE_PER_ACCOUNT=1000 atende serve &
  python3 bench/heartbeats.py --base http://127.0.0.1:8080 --workspace demo \\
      --email admin@demo.test --password ... --pid $(pgrep -n atende) [-n 200] [-p 30] [-d 120]

It creates the agents through the API (needs an admin; agents are named bench-<run>-<i>),
signs each in once, spreads their first heartbeat over one period, then keeps the
cadence. Stdlib only; one thread per 25 agents, keep-alive connections."""
import argparse, http.client, json, os, statistics, threading, time, urllib.parse, uuid


def call(conn, method, path, body=None, token=None):
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    resp = conn.getresponse()
    data = resp.read()
    return resp.status, (json.loads(data) if data else None)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8080")
    ap.add_argument("--workspace", required=True)
    ap.add_argument("--email", required=True)
    ap.add_argument("--password", required=True)
    ap.add_argument("--pid", type=int, help="server process id, to measure its CPU")
    ap.add_argument("-n", type=int, default=200, help="agents")
    ap.add_argument("-p", type=float, default=30.0, help="seconds between one agent's heartbeats")
    ap.add_argument("-d", type=float, default=120.0, help="duration of the measured run, seconds")
    args = ap.parse_args()
    url = urllib.parse.urlparse(args.base)
    conn = http.client.HTTPConnection(url.hostname, url.port)
    st, body = call(conn, "POST", "/api/v1/auth/login",
                    {"workspace": args.workspace, "email": args.email, "password": args.password})
    assert st == 200, body
    admin = body["token"]
    run = uuid.uuid4().hex[:6]
    tokens = []
    for i in range(args.n):
        email = f"bench-{run}-{i}@bench.test"
        st, body = call(conn, "POST", "/api/v1/users",
                        {"email": email, "name": f"Bench {i}", "password": "bench-pass-123", "role": "AGENT"}, admin)
        assert st == 201, body
        st, body = call(conn, "POST", "/api/v1/auth/login",
                        {"workspace": args.workspace, "email": email, "password": "bench-pass-123"})
        assert st == 200, body
        tokens.append(body["token"])
    print(f"{args.n} agents signed in; heartbeat every {args.p:g} s for {args.d:g} s")

    latencies, errors, lock = [], [], threading.Lock()
    start = time.monotonic() + 1.0
    stop = start + args.d

    def agent_loop(group):
        c = http.client.HTTPConnection(url.hostname, url.port)
        # Each agent's beats, offset evenly over one period.
        schedule = [(start + (idx / args.n) * args.p, tok) for idx, tok in group]
        while True:
            schedule.sort()
            at, tok = schedule[0]
            if at >= stop:
                return
            delay = at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            t0 = time.perf_counter()
            st, _ = call(c, "POST", "/api/v1/activity/heartbeat", {}, tok)
            took = time.perf_counter() - t0
            with lock:
                latencies.append(took)
                if st != 200:
                    errors.append(st)
            schedule[0] = (at + args.p, tok)

    indexed = list(enumerate(tokens))
    groups = [indexed[i::max(1, args.n // 25)] for i in range(max(1, args.n // 25))]
    threads = [threading.Thread(target=agent_loop, args=(g,)) for g in groups]
    while time.monotonic() < start:
        time.sleep(0.01)
    cpu_before = cpu_seconds(args.pid) if args.pid else None
    wall_before = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - wall_before
    lat = sorted(latencies)
    pct = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] * 1000
    print(f"heartbeats: {len(lat)} in {wall:.1f} s = {len(lat) / wall:.2f}/s, errors {len(errors)}")
    print(f"latency ms: p50 {pct(0.5):.2f}  p90 {pct(0.9):.2f}  p99 {pct(0.99):.2f}  max {lat[-1] * 1000:.2f}"
          f"  mean {statistics.mean(lat) * 1000:.2f}")
    if args.pid:
        used = cpu_seconds(args.pid) - cpu_before
        print(f"server CPU: {used:.2f} s over {wall:.1f} s = {100 * used / wall:.2f} % of one core")


if __name__ == "__main__":
    main()
