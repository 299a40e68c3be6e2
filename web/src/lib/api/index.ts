export { call, http } from './client';
export type { Schemas } from './client';
export { ApiError, isApiError, parseRetryAfter } from './errors';
export type { KnownErrorCode } from './errors';
export { applyFieldErrors } from './fieldErrors';
