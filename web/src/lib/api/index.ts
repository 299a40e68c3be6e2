export { api } from './client';
export { ApiError, isApiError, parseRetryAfter } from './errors';
export type { KnownErrorCode } from './errors';
