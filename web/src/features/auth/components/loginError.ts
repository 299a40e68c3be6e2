import type { TFunction } from 'i18next';
import { isApiError } from '@/lib/api';

/** The translated, user-facing message for a failed sign-in. */
export function loginErrorMessage(err: unknown, t: TFunction): string {
  if (!isApiError(err)) return t('auth.errors.generic');
  switch (err.code) {
    case 'invalid_credentials':
      return t('auth.errors.invalid_credentials');
    case 'tenant_suspended':
      return t('auth.errors.tenant_suspended');
    case 'validation_failed':
      return t('auth.errors.validation_failed');
    case 'network_error':
      return t('auth.errors.network_error');
    case 'rate_limited': {
      const secs = err.retryAfter;
      if (secs === null || secs <= 0) return t('auth.errors.rate_limited');
      if (secs < 120) return t('auth.errors.rate_limited_seconds', { count: secs });
      return t('auth.errors.rate_limited_minutes', { count: Math.ceil(secs / 60) });
    }
    default:
      return t('auth.errors.generic');
  }
}
