import { describe, expect, it } from 'vitest';
import { ApiError } from '@/lib/api';
import { i18n } from '@/lib/i18n';
import { chargeErrorMessage } from './chargeErrors';

const t = i18n.t.bind(i18n);
const err = (code: string, status: number, extra: Partial<{ message: string; details: unknown; retryAfter: number }> = {}) =>
  new ApiError({ code, status, message: extra.message ?? code, details: extra.details, retryAfter: extra.retryAfter ?? null });

describe('chargeErrorMessage', () => {
  it("shows Asaas' own description for asaas_rejected", () => {
    const e = err('asaas_rejected', 422, {
      message: 'O CPF/CNPJ informado é inválido.',
      details: { asaasErrors: [{ code: 'invalid_cpfCnpj', description: 'O CPF/CNPJ informado é inválido.' }] },
    });
    expect(chargeErrorMessage(e, t)).toBe('O Asaas recusou a cobrança: O CPF/CNPJ informado é inválido.');
  });
  it('translates the other Asaas codes', () => {
    expect(chargeErrorMessage(err('asaas_not_configured', 409), t)).toMatch(/Configurações → Asaas/);
    expect(chargeErrorMessage(err('asaas_rate_limited', 503, { retryAfter: 7 }), t)).toMatch(/7 s/);
    expect(chargeErrorMessage(err('asaas_unavailable', 502), t)).toMatch(/Não foi possível falar com o Asaas/);
  });
  it('falls back to the app-wide messages', () => {
    expect(chargeErrorMessage(err('validation_failed', 422), t)).toMatch(/Confira os campos|campos/);
    expect(chargeErrorMessage(new Error('boom'), t)).toBe(t('errors.generic'));
  });
});
