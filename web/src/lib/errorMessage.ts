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
  'channel_disabled',
  'not_failed',
  'not_retryable',
  'contact_exists',
  'payload_too_large',
  'unsupported_media_type',
  'tenant_suspended',
  'service_unavailable',
  'short_code_taken',
  'malformed_json',
  'csrf_origin_mismatch',
  'invalid_query',
  'bad_response',
] as const;
type Translated = (typeof TRANSLATED)[number];

function isTranslated(code: string): code is Translated {
  return (TRANSLATED as readonly string[]).includes(code);
}

/** The user-facing, translated message for a failed API call (toasts and banners). */
export function errorMessage(err: unknown, t: TFunction): string {
  return isApiError(err) ? errorCodeMessage(err.code, t) : t('errors.generic');
}

/** The translated message for an API error code (`generic` for codes the app does not know). */
export function errorCodeMessage(code: string | undefined, t: TFunction): string {
  return code !== undefined && isTranslated(code) ? t(`errors.${code}`) : t('errors.generic');
}
