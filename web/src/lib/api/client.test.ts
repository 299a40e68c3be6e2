import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiError, jsonResponse, mockFetch } from '@/test/utils';
import { call, http } from './client';
import { ApiError, parseRetryAfter } from './errors';
import { applyFieldErrors } from './fieldErrors';

const me = () => http.GET('/api/v1/auth/me');

describe('api client', () => {
  it('sends the cookie and JSON, and returns the typed data', async () => {
    const fetch = mockFetch(() => jsonResponse({ settings: { timezone: 'UTC' } }));
    const data = await call(http.PUT('/api/v1/settings', { body: { timezone: 'UTC' } as never }));
    expect(data.settings.timezone).toBe('UTC');
    expect(fetch.requests[0]).toMatchObject({ url: '/api/v1/settings', method: 'PUT', credentials: 'include', body: { timezone: 'UTC' } });
    expect(fetch.requests[0]?.headers.get('Content-Type')).toBe('application/json');
  });

  it('parses the error shape into ApiError', async () => {
    mockFetch(() => apiError(429, 'rate_limited', 'slow down', { 'Retry-After': '7' }));
    const err: unknown = await call(me()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'rate_limited', status: 429, message: 'slow down', retryAfter: 7 });
  });

  it('falls back to details.retryAfter and to http_<status> for odd bodies', async () => {
    mockFetch(() => jsonResponse({ error: { code: 'rate_limited', message: 'm', details: { retryAfter: 9 } } }, { status: 429 }));
    await expect(call(me())).rejects.toMatchObject({ retryAfter: 9 });
    mockFetch(() => new Response('<html>bad gateway</html>', { status: 502 }));
    await expect(call(me())).rejects.toMatchObject({ code: 'http_502', status: 502 });
  });

  it('reports network failures and unexpected bodies', async () => {
    mockFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(call(me())).rejects.toMatchObject({ code: 'network_error', status: 0 });
    mockFetch(() => jsonResponse({ nope: true }));
    await expect(call(me(), z.object({ id: z.string() }))).rejects.toMatchObject({ code: 'bad_response' });
    mockFetch(() => new Response('not json', { status: 200, headers: { 'Content-Type': 'application/json' } }));
    await expect(call(me())).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('exposes validation details per field and marks form fields with them', async () => {
    mockFetch(() => apiError(422, 'validation_failed', 'x', {}, { email: ['not a valid email'], other: ['x'] }));
    const err = await call(me()).catch((e: unknown) => e);
    expect(err instanceof ApiError && err.fieldErrors()).toEqual({ email: ['not a valid email'], other: ['x'] });
    const marked: [string, string][] = [];
    expect(applyFieldErrors(err, ['email', 'name'] as const, (f, e) => marked.push([f, e.message]))).toEqual(['email']);
    expect(marked).toEqual([['email', 'server:not a valid email']]);
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:01:00 GMT', now)).toBe(60);
  });
});
