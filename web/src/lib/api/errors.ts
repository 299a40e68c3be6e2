/** Codes the client knows how to present; the server may send others. */
export type KnownErrorCode =
  | 'invalid_credentials'
  | 'rate_limited'
  | 'tenant_suspended'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'network_error'
  | 'bad_response'
  | 'email_taken'
  | 'last_admin'
  | 'cannot_deactivate_self'
  | 'team_name_taken';

/** A failed API call: the server's `{error:{code,message,details}}`, or a transport failure. */
export class ApiError extends Error {
  readonly code: string;
  /** HTTP status; 0 when the request never got an answer. */
  readonly status: number;
  readonly details: unknown;
  /** Seconds to wait before retrying (Retry-After header, or details.retryAfter). */
  readonly retryAfter: number | null;

  constructor(init: { code: string; status: number; message: string; details?: unknown; retryAfter?: number | null }) {
    super(init.message);
    this.name = 'ApiError';
    this.code = init.code;
    this.status = init.status;
    this.details = init.details ?? null;
    this.retryAfter = init.retryAfter ?? null;
  }

  /** Field names mentioned by a `validation_failed` error (`details: {field: [msg]}`). */
  fieldNames(): string[] {
    return Object.keys(this.fieldErrors());
  }

  /** The messages per (camelCase) field of a `validation_failed` error; empty otherwise. */
  fieldErrors(): Record<string, string[]> {
    if (this.code !== 'validation_failed' || !isRecord(this.details)) return {};
    const out: Record<string, string[]> = {};
    for (const [field, msgs] of Object.entries(this.details)) {
      out[field] = Array.isArray(msgs) ? msgs.filter((m): m is string => typeof m === 'string') : [];
    }
    return out;
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - now) / 1000));
}
