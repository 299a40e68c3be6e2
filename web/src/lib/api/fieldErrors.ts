import { isApiError } from './errors';

/** Prefix of a form error message that came from the server (see `lib/forms.ts`). */
export const SERVER_MESSAGE_PREFIX = 'server:';

/**
 * Puts the per-field messages of a `validation_failed` error on the form fields it
 * names (camelCase, as the API sends them). Returns the fields it marked, so the
 * caller can fall back to a banner or toast when none matched.
 */
export function applyFieldErrors<F extends string>(
  err: unknown,
  fields: readonly F[],
  setError: (name: F, error: { type: string; message: string }) => void,
): F[] {
  if (!isApiError(err)) return [];
  const byField = err.fieldErrors();
  const marked: F[] = [];
  for (const field of fields) {
    const msgs = byField[field];
    if (msgs === undefined) continue;
    setError(field, { type: 'server', message: `${SERVER_MESSAGE_PREFIX}${msgs.join('; ')}` });
    marked.push(field);
  }
  return marked;
}
