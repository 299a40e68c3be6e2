// Seeding helpers for the e2e run (and by hand): sign in over the API, create an API
// channel, post signed customer messages to its webhook, and run a tiny callback
// server that receives the agent replies (docs/api-channel.md).
//
//   node e2e/seed.mjs   (BASE_URL, E2E_WORKSPACE, E2E_EMAIL, E2E_PASSWORD) seeds a few
//   conversations into a running server and prints the channel.
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';

/** `POST /auth/login`; returns the bearer token. */
export async function apiLogin(baseUrl, workspace, email, password) {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ workspace, email, password }),
  });
  if (!res.ok) throw new Error(`login answered ${res.status}: ${await res.text()}`);
  return (await res.json()).token;
}

/** Calls the API with a bearer token; throws on a non-2xx answer. */
export async function api(baseUrl, token, method, path, body) {
  const res = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Creates an API channel; returns `{id, webhookUrl, secret}`. */
export async function createApiChannel(baseUrl, token, name, callbackUrl) {
  const { channel, webhookSecret } = await api(baseUrl, token, 'POST', '/channels', { type: 'API', name, callbackUrl });
  // The server may report its webhook URL with another host name; keep the path.
  const webhookUrl = `${baseUrl}${new URL(channel.webhookUrl, baseUrl).pathname}`;
  return { id: channel.id, webhookUrl, secret: webhookSecret };
}

/** Posts one signed customer message to the channel's webhook. */
export async function postInbound(channel, { externalId, identifier, name, phone, email, content, contentType, attachments }) {
  const body = JSON.stringify({
    externalId,
    contact: { identifier, name, phone, email },
    content,
    contentType,
    attachments,
  });
  const sig = createHmac('sha256', channel.secret).update(body).digest('hex');
  const res = await fetch(channel.webhookUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Atende-Signature': `sha256=${sig}` },
    body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`webhook answered ${res.status}: ${text}`);
  return JSON.parse(text);
}

/**
 * A local HTTP server standing in for the customer's system: remembers every reply
 * and answers 200 (after `delayMs`, so PENDING can be seen), or 400 while
 * `failing` is true (the server then fails the message at once). `close()` when done.
 */
export async function startCallbackServer() {
  const state = { received: [], delayMs: 0, failing: false };
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      try {
        state.received.push(JSON.parse(raw));
      } catch {
        state.received.push(raw);
      }
      const failing = state.failing;
      setTimeout(() => {
        if (failing) {
          res.writeHead(400, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify({ error: 'rejected by the e2e callback' }));
          return;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ externalId: `cb-${state.received.length}` }));
      }, state.delayMs);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/atende-hook`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  });
}

/** Polls until `fn()` is truthy (or throws after `timeout` ms). */
export async function waitFor(fn, what, timeout = 10_000) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// Run directly: seed a few conversations into a running server.
if (import.meta.url === `file://${process.argv[1]}`) {
  const baseUrl = (process.env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
  const token = await apiLogin(baseUrl, process.env.E2E_WORKSPACE || 'demo', process.env.E2E_EMAIL || 'admin@demo.atende.local', process.env.E2E_PASSWORD);
  const channel = await createApiChannel(baseUrl, token, `Site chat ${Date.now().toString(36)}`, process.env.CALLBACK_URL || 'http://127.0.0.1:9/closed');
  const people = [
    ['Maria Silva', '+5511999990001', 'Olá, quero um orçamento para 3 cadeiras.'],
    ['João Pereira', '+5521988880002', 'Meu pedido ainda não chegou, podem verificar?'],
    ['Ana Costa', '+5531977770003', 'Vocês entregam em Belo Horizonte?'],
  ];
  for (const [i, [name, phone, content]] of people.entries()) {
    await postInbound(channel, { externalId: `seed-${Date.now()}-${i}`, identifier: `seed-${phone}`, name, phone, content });
  }
  console.log(JSON.stringify(channel));
}
