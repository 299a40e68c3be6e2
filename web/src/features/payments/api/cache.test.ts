import { QueryClient } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { dispatchSocketEvent } from '@/lib/socket';
import { registerPaymentsRealtime } from '../realtime';
import { applyPaymentUpdate } from './cache';
import { paymentsKeys, type Charge, type ChargeList } from './keys';

function charge(overrides: Partial<Charge> = {}): Charge {
  return {
    id: 'ch-1',
    asaasChargeId: 'pay_1',
    status: 'PENDING',
    value: '150.00',
    dueDate: '2026-12-01',
    billingType: 'PIX',
    environment: 'sandbox',
    origin: 'atende',
    contactId: 'contact-1',
    conversationId: 'conv-1',
    createdAt: '2026-11-28T12:00:00Z',
    updatedAt: '2026-11-28T12:00:00Z',
    pixPayload: '00020126...',
    ...overrides,
  };
}

describe('payment_update → charges cache', () => {
  it('patches the status of the charge in every cached list', () => {
    const qc = new QueryClient();
    const key = paymentsKeys.contactCharges('contact-1');
    qc.setQueryData<ChargeList>(key, { asaasCharges: [charge(), charge({ id: 'ch-2' })], total: 2 });
    const off = registerPaymentsRealtime(qc);
    dispatchSocketEvent('payment_update', { chargeId: 'ch-1', status: 'RECEIVED', contactId: 'contact-1', conversationId: 'conv-1' });
    off();
    const list = qc.getQueryData<ChargeList>(key);
    expect(list?.asaasCharges.map((c) => c.status)).toEqual(['RECEIVED', 'PENDING']);
  });

  it('is idempotent and refetches the contact list when the charge is new to it', async () => {
    const qc = new QueryClient();
    const key = paymentsKeys.contactCharges('contact-1');
    qc.setQueryData<ChargeList>(key, { asaasCharges: [charge({ status: 'RECEIVED' })], total: 1 });
    expect(applyPaymentUpdate(qc, { chargeId: 'ch-1', status: 'RECEIVED', contactId: 'contact-1', conversationId: null })).toBe(false);
    expect(qc.getQueryState(key)?.isInvalidated).toBe(false);
    applyPaymentUpdate(qc, { chargeId: 'ch-9', status: 'PENDING', contactId: 'contact-1', conversationId: null });
    await Promise.resolve();
    expect(qc.getQueryState(key)?.isInvalidated).toBe(true);
  });
});
