import createClient from 'openapi-fetch';
import type { z } from 'zod/mini';
import { env } from '@/lib/env';
import { ApiError, isRecord, parseRetryAfter } from './errors';
import type { components, paths } from './schema';

/** Schemas of the server's OpenAPI document (`npm run api:types` regenerates them). */
export type Schemas = components['schemas'];

/**
 * Typed client for the server's OpenAPI paths (`/api/v1/...`): JSON in and out and
 * the session cookie always sent. Wrap every call in {@link call} so failures become
 * {@link ApiError}s.
 */
export const http = createClient<paths>({
  baseUrl: env.VITE_API_BASE_URL,
  credentials: 'include',
  headers: { Accept: 'application/json' },
  // Looked up on every call, so anything that swaps fetch later (tests) is honoured.
  fetch: (request) => globalThis.fetch(request),
});

/** What an openapi-fetch call resolves to, seen loosely. */
interface Outcome<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/**
 * Awaits an {@link http} call and returns its data, or throws an {@link ApiError}:
 * the server's `{error:{code,message,details}}`, `network_error` when there was no
 * answer, `bad_response` when a success body is not what was expected. An optional
 * zod schema checks the body at run time (for data the app depends on).
 */
export async function call<D>(pending: Promise<Outcome<D>>): Promise<D>;
export async function call<D, S extends z.ZodMiniType>(pending: Promise<Outcome<D>>, schema: S): Promise<z.output<S>>;
export async function call<D>(pending: Promise<Outcome<D>>, schema?: z.ZodMiniType): Promise<unknown> {
  let outcome: Outcome<D>;
  try {
    outcome = await pending;
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    if (cause instanceof SyntaxError) {
      throw new ApiError({ code: 'bad_response', status: 200, message: 'Unexpected response from server' });
    }
    throw new ApiError({ code: 'network_error', status: 0, message: 'Network error' });
  }
  const { data, error, response } = outcome;
  if (!response.ok) throw toApiError(response, error);
  if (schema === undefined) return data;
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    throw new ApiError({ code: 'bad_response', status: response.status, message: 'Unexpected response from server' });
  }
  return parsed.data;
}

function toApiError(res: Response, json: unknown): ApiError {
  const err = isRecord(json) && isRecord(json.error) ? json.error : null;
  const details = err?.details ?? null;
  const fromDetails = isRecord(details) && typeof details.retryAfter === 'number' ? details.retryAfter : null;
  return new ApiError({
    code: typeof err?.code === 'string' ? err.code : `http_${res.status}`,
    status: res.status,
    message: typeof err?.message === 'string' ? err.message : res.statusText || `HTTP ${res.status}`,
    details,
    retryAfter: parseRetryAfter(res.headers.get('Retry-After')) ?? fromDetails,
  });
}
