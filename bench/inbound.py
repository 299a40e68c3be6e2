#!/usr/bin/env python3
"""Inbound-path load: POST signed API-channel webhooks to a running server, then wait
until the workers have ingested them all. Prints accept rate and end-to-end rate.

  python3 bench/inbound.py --base http://127.0.0.1:8080 --token ADMIN_TOKEN [-n 2000] [-c 8]

It creates an API channel (needs an admin token), posts N messages from N/10 distinct
contacts with C concurrent keep-alive connections, then polls /api/v1/conversations
until every message is stored. Stdlib only (the client, not the server, is usually the
limit on 2 cores: read the numbers as a floor)."""
import argparse, hashlib, hmac, http.client, json, threading, time, urllib.parse, uuid

def request(conn, method, path, body=None, headers=None):
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    return resp.status, data

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", default="http://127.0.0.1:8080")
    ap.add_argument("--token", required=True)
    ap.add_argument("-n", type=int, default=2000)
    ap.add_argument("-c", type=int, default=8)
    args = ap.parse_args()
    url = urllib.parse.urlparse(args.base)
    auth = {"Authorization": f"Bearer {args.token}", "Content-Type": "application/json"}
    conn = http.client.HTTPConnection(url.hostname, url.port)
    status, data = request(conn, "POST", "/api/v1/channels", json.dumps(
        {"type": "API", "name": f"bench-{uuid.uuid4().hex[:6]}", "callbackUrl": "http://127.0.0.1:9/none"}), auth)
    assert status == 201, data
    created = json.loads(data)
    channel, secret = created["channel"]["id"], created["webhookSecret"].encode()
    run = uuid.uuid4().hex[:8]
    bodies = []
    for i in range(args.n):
        body = json.dumps({"externalId": f"{run}-{i}", "contact": {"identifier": f"{run}-c{i % max(1, args.n // 10)}",
                           "name": f"Cliente {i % 100}"}, "content": f"mensagem {i}"}).encode()
        sig = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
        bodies.append((body, sig))
    errors = []
    def worker(chunk):
        c = http.client.HTTPConnection(url.hostname, url.port)
        for body, sig in chunk:
            st, d = request(c, "POST", f"/webhooks/api/{channel}", body,
                            {"Content-Type": "application/json", "X-Atende-Signature": sig})
            if st != 200:
                errors.append((st, d[:200]))
    chunks = [bodies[i::args.c] for i in range(args.c)]
    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(ch,)) for ch in chunks]
    for t in threads: t.start()
    for t in threads: t.join()
    accepted = time.perf_counter() - started
    # Wait until every message is in the inbox.
    while True:
        st, d = request(conn, "GET", f"/api/v1/conversations?channelId={channel}&limit=200", None, auth)
        total = 0
        convs = json.loads(d)["conversations"]
        st2, d2 = request(conn, "GET", f"/api/v1/jobs?state=queued&limit=1", None, auth)
        queued = json.loads(d2)["total"]
        st3, d3 = request(conn, "GET", f"/api/v1/jobs?state=running&limit=1", None, auth)
        running = json.loads(d3)["total"]
        if queued == 0 and running == 0:
            break
        time.sleep(0.05)
    done = time.perf_counter() - started
    print(json.dumps({"messages": args.n, "concurrency": args.c, "errors": len(errors),
                      "accept_seconds": round(accepted, 3), "accept_per_s": round(args.n / accepted),
                      "ingested_seconds": round(done, 3), "ingested_per_s": round(args.n / done),
                      "conversations_seen": len(convs)}))
    if errors:
        print("first errors:", errors[:3])

if __name__ == "__main__":
    main()
