import type { ParseKeys, TFunction } from 'i18next';
import type { FieldError } from 'react-hook-form';
import { z } from 'zod';
import { SERVER_MESSAGE_PREFIX } from '@/lib/api/fieldErrors';

/**
 * Form error messages are stored untranslated and translated at render time, so a
 * language switch applies at once. A message is one of:
 * - an i18n key (`forms.required`),
 * - `key|{"count":8}`: a key with interpolation values (see {@link msg}),
 * - `server:<text>`: the server's own words, from a `validation_failed` error.
 */
export function fieldErrorText(error: FieldError | undefined, t: TFunction): string | undefined {
  const message = error?.message;
  if (message === undefined || message === '') return undefined;
  if (message.startsWith(SERVER_MESSAGE_PREFIX)) {
    return t('forms.serverRejected', { detail: message.slice(SERVER_MESSAGE_PREFIX.length) });
  }
  const bar = message.indexOf('|');
  if (bar === -1) return t(message as ParseKeys);
  const values = JSON.parse(message.slice(bar + 1)) as Record<string, unknown>;
  return t(message.slice(0, bar) as ParseKeys, values);
}

/** A form error message: an i18n key plus its interpolation values. */
export function msg(key: ParseKeys, values?: Record<string, string | number>): string {
  return values === undefined ? key : `${key}|${JSON.stringify(values)}`;
}

/** Common zod pieces whose messages go through {@link fieldErrorText}. */
export const v = {
  /** Trimmed, non-empty text of at most `max` characters. */
  text: (max: number) =>
    z
      .string()
      .trim()
      .min(1, msg('forms.required'))
      .max(max, msg('forms.maxLength', { count: max })),
  email: () =>
    z
      .string()
      .trim()
      .min(1, msg('forms.required'))
      .max(254, msg('forms.maxLength', { count: 254 }))
      .pipe(z.email(msg('forms.email'))),
  password: () =>
    z
      .string()
      .min(8, msg('forms.minLength', { count: 8 }))
      .max(200, msg('forms.maxLength', { count: 200 })),
  /** A whole number in [min, max]; empty inputs (NaN) count as out of range. */
  int: (min: number, max: number) => {
    const range = msg('forms.range', { min, max });
    return z.number(range).int(range).min(min, range).max(max, range);
  },
};
