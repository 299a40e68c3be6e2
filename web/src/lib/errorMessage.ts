import type { TFunction } from 'i18next';
import { isApiError } from '@/lib/api';

const TRANSLATED = [
  'network_error',
  'forbidden',
  'not_found',
  'unauthorized',
  'rate_limited',
  'validation_failed',
  'email_taken',
  'last_admin',
  'cannot_deactivate_self',
  'team_name_taken',
] as const;
type Translated = (typeof TRANSLATED)[number];

function isTranslated(code: string): code is Translated {
  return (TRANSLATED as readonly string[]).includes(code);
}

/** The user-facing, translated message for a failed API call (toasts and banners). */
export function errorMessage(err: unknown, t: TFunction): string {
  if (isApiError(err) && isTranslated(err.code)) return t(`errors.${err.code}`);
  return t('errors.generic');
}
