import type { z } from 'zod';
import { env } from '@/lib/env';
import { ApiError, isRecord, parseRetryAfter } from './errors';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions<S extends z.ZodType | undefined> {
  method?: Method;
  body?: unknown;
  /** Validates the success body; omit for endpoints answering 204 / no body. */
  schema?: S;
  signal?: AbortSignal;
}

type Result<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * fetch for `/api/v1`: JSON in and out, the session cookie always sent, and every
 * failure turned into an {@link ApiError}.
 */
export async function api<S extends z.ZodType | undefined = undefined>(
  path: string,
  options: RequestOptions<S> = {},
): Promise<Result<S>> {
  const { method = 'GET', body, schema, signal } = options;
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';

  let res: Response;
  try {
    res = await fetch(`${env.VITE_API_BASE_URL}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'include',
      signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({ code: 'network_error', status: 0, message: 'Network error' });
  }

  const text = await res.text();
  let json: unknown = undefined;
  if (text !== '') {
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
  }

  if (!res.ok) throw toApiError(res, json);

  if (schema === undefined) return undefined as Result<S>;
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError({ code: 'bad_response', status: res.status, message: 'Unexpected response from server' });
  }
  return parsed.data as Result<S>;
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
