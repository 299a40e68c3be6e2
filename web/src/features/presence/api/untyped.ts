import { call } from '@/lib/api';
import { env } from '@/lib/env';

/**
 * TEMPORARY: the issue-10 routes are not in the generated schema yet (server branch
 * `rw1`). Same transport and errors as `call(http.…)`; replaced by typed calls once
 * openapi.json carries them.
 */
export function untyped<T>(method: 'GET' | 'POST' | 'PUT', path: string, init: { body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  return call<T>(
    (async () => {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (init.body !== undefined) headers['Content-Type'] = 'application/json';
      const response = await globalThis.fetch(
        new Request(`${env.VITE_API_BASE_URL}${path}`, {
          method,
          credentials: 'include',
          headers,
          body: init.body === undefined ? null : JSON.stringify(init.body),
          signal: init.signal ?? null,
        }),
      );
      const text = await response.text();
      const json: unknown = text === '' ? undefined : JSON.parse(text);
      return response.ok ? { data: json as T, response } : { error: json, response };
    })(),
  );
}
