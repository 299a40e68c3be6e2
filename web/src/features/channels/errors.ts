import type { TFunction } from 'i18next';
import { isApiError } from '@/lib/api';
import { errorMessage } from '@/lib/errorMessage';

const CODES = ['not_qr_channel', 'invalid_configuration', 'provider_auth_failed', 'provider_unavailable'] as const;
type Code = (typeof CODES)[number];

/** Channel and provider error codes, translated; others through the app's mapping. */
export function channelErrorMessage(err: unknown, t: TFunction): string {
  if (isApiError(err)) {
    if ((CODES as readonly string[]).includes(err.code)) return t(`channelSetup.errors.${err.code as Code}`);
    if (err.status === 503 && err.code !== 'service_unavailable') return t('channelSetup.errors.provider_unavailable');
  }
  return errorMessage(err, t);
}
