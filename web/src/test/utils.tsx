import { render } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { vi } from 'vitest';
import { Providers } from '@/app/providers';
import { createQueryClient } from '@/app/queryClient';
import { routes } from '@/app/routes';
import { type Role, useSession } from '@/features/auth';

/** Renders the whole app in memory at `path`. */
export function renderApp(path: string) {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const queryClient = createQueryClient();
  const utils = render(
    <Providers queryClient={queryClient}>
      <RouterProvider router={router} />
    </Providers>,
  );
  return { ...utils, router, queryClient };
}

/** Renders the app at `path` already signed in (no `/auth/me` round trip). */
export function renderSignedIn(path: string, role: Role = 'ADMIN') {
  useSession.getState().setSession({ ...SESSION, user: { ...SESSION.user, role } });
  return renderApp(path);
}

export function jsonResponse(body: unknown, init: { status?: number; headers?: Record<string, string> } = {}): Response {
  return new Response(JSON.stringify(body), {
    status: init.status ?? 200,
    headers: { 'Content-Type': 'application/json', ...init.headers },
  });
}

export function noContent(): Response {
  return new Response(null, { status: 204 });
}

export function apiError(status: number, code: string, message = code, headers: Record<string, string> = {}, details: unknown = null) {
  return jsonResponse({ error: { code, message, details } }, { status, headers });
}

/** A request as the mock saw it: path + query, method, and the JSON body (if any). */
export interface SeenRequest {
  url: string;
  method: string;
  credentials: RequestCredentials;
  headers: Headers;
  body: unknown;
}

type Handler = (url: string, request: SeenRequest) => Response | Promise<Response>;

/**
 * Replaces global fetch. `url` is the path and query (`/api/v1/users?q=a`); the
 * returned mock's `requests` lists every request seen, in order.
 */
export function mockFetch(handler: Handler) {
  const requests: SeenRequest[] = [];
  const fn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = input instanceof Request ? input : new Request(toAbsolute(input), init);
    const url = new URL(request.url, 'http://localhost');
    const text = request.body === null ? '' : await request.clone().text();
    const seen: SeenRequest = {
      url: url.pathname + url.search,
      method: request.method,
      credentials: request.credentials,
      headers: request.headers,
      body: text === '' ? undefined : parseBody(text),
    };
    requests.push(seen);
    return handler(seen.url, seen);
  });
  vi.stubGlobal('fetch', fn);
  return Object.assign(fn, { requests });
}

/** JSON bodies parsed; anything else (CSV, multipart) as text. */
function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function toAbsolute(input: string | URL): string {
  return new URL(input.toString(), 'http://localhost').href;
}

/** The requests to a path (ignoring the query), optionally with one method. */
export function requestsTo(mock: { requests: SeenRequest[] }, path: string, method?: string): SeenRequest[] {
  return mock.requests.filter((r) => r.url.split('?')[0] === path && (method === undefined || r.method === method));
}

export const SESSION = {
  user: { id: '0b8f5c3e-1111-4a5b-9c1d-000000000001', name: 'Ana Souza', email: 'ana@acme.com.br', role: 'ADMIN' as Role },
  tenant: { id: '0b8f5c3e-2222-4a5b-9c1d-000000000002', slug: 'acme', name: 'Acme Atendimento' },
};

type Route = (req: SeenRequest) => Response | Promise<Response>;

/**
 * A tiny fake API: `{'GET /api/v1/users': () => jsonResponse(...)}`. The query is
 * ignored when matching (read it from `req.url`); anything unlisted answers 404.
 */
export function mockApi(routes: Record<string, Route>) {
  return mockFetch((url, req) => {
    const route = routes[`${req.method} ${url.split('?')[0] ?? ''}`];
    return route ? route(req) : apiError(404, 'not_found');
  });
}

export function user(overrides: Partial<UserViewFixture> = {}): UserViewFixture {
  return {
    id: '0b8f5c3e-1111-4a5b-9c1d-000000000001',
    name: 'Ana Souza',
    email: 'ana@acme.com.br',
    role: 'ADMIN',
    active: true,
    availability: 'online',
    createdAt: '2026-01-10T12:00:00Z',
    lastLoginAt: '2026-11-28T17:05:00Z',
    ...overrides,
  };
}

export interface UserViewFixture {
  id: string;
  name: string;
  email: string;
  role: Role;
  active: boolean;
  availability: string;
  createdAt: string;
  lastLoginAt: string | null;
}
