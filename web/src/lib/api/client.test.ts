import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { apiError, jsonResponse, mockFetch } from '@/test/utils';
import { api } from './client';
import { ApiError, parseRetryAfter } from './errors';

describe('api client', () => {
  it('parses the error shape into ApiError', async () => {
    mockFetch(() => apiError(429, 'rate_limited', 'slow down', { 'Retry-After': '7' }));
    const err: unknown = await api('/x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'rate_limited', status: 429, message: 'slow down', retryAfter: 7 });
  });

  it('falls back to details.retryAfter and to http_<status> for odd bodies', async () => {
    mockFetch(() => jsonResponse({ error: { code: 'rate_limited', message: 'm', details: { retryAfter: 9 } } }, { status: 429 }));
    await expect(api('/x')).rejects.toMatchObject({ retryAfter: 9 });
    mockFetch(() => new Response('<html>bad gateway</html>', { status: 502 }));
    await expect(api('/x')).rejects.toMatchObject({ code: 'http_502', status: 502 });
  });

  it('reports network failures and unexpected bodies', async () => {
    mockFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    await expect(api('/x')).rejects.toMatchObject({ code: 'network_error', status: 0 });
    mockFetch(() => jsonResponse({ nope: true }));
    await expect(api('/x', { schema: z.object({ id: z.string() }) })).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('30')).toBe(30);
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(parseRetryAfter('Sat, 28 Nov 2026 12:01:00 GMT', now)).toBe(60);
  });
});
