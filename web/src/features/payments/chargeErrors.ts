import type { TFunction } from 'i18next';
import { isApiError } from '@/lib/api';
import { errorMessage } from '@/lib/errorMessage';

/** The translated message for a failed charge call (Asaas codes first, then the app's). */
export function chargeErrorMessage(err: unknown, t: TFunction): string {
  if (!isApiError(err)) return errorMessage(err, t);
  switch (err.code) {
    case 'asaas_rejected': {
      const detail = asaasDescriptions(err.details).join(' ') || err.message.trim();
      return detail ? t('payments.errors.asaas_rejected', { detail }) : t('payments.errors.asaas_rejected_generic');
    }
    case 'asaas_rate_limited':
      return err.retryAfter !== null
        ? t('payments.errors.asaas_rate_limited', { seconds: err.retryAfter })
        : t('payments.errors.asaas_rate_limited_generic');
    case 'asaas_not_configured':
    case 'asaas_unavailable':
    case 'asaas_auth_failed':
    case 'asaas_environment_changed':
    case 'asaas_bad_response':
    case 'asaas_not_found':
      return t(`payments.errors.${err.code}`);
    default:
      return errorMessage(err, t);
  }
}

/** Asaas' own descriptions from `details.asaasErrors[].description`. */
function asaasDescriptions(details: unknown): string[] {
  if (typeof details !== 'object' || details === null) return [];
  const list = (details as { asaasErrors?: unknown }).asaasErrors;
  if (!Array.isArray(list)) return [];
  return list
    .map((e: unknown) => (typeof e === 'object' && e !== null ? (e as { description?: unknown }).description : undefined))
    .filter((d): d is string => typeof d === 'string' && d.trim() !== '');
}
