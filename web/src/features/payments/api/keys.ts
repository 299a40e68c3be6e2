import type { SocketEvents } from '@/lib/socket/socket';
import type { Schemas } from '@/lib/api';

export type Charge = Schemas['ChargeView'];
export type BillingType = Schemas['BillingType'];
export type AsaasSettings = Schemas['AsaasSettingsView'];
export type AsaasEnvironment = Schemas['Environment'];

export const BILLING_TYPES: BillingType[] = ['PIX', 'BOLETO', 'CREDIT_CARD', 'UNDEFINED'];

/** The `payment_update` socket payload, from the server's contract. */
export type PaymentUpdate = SocketEvents['payment_update'];

export interface ChargeList {
  asaasCharges: Charge[];
  total: number;
}

/** Query keys for payments: invalidate `paymentsKeys.charges()` after any charge change. */
export const paymentsKeys = {
  all: ['payments'] as const,
  charges: () => [...paymentsKeys.all, 'charges'] as const,
  contactCharges: (contactId: string) => [...paymentsKeys.charges(), 'contact', contactId] as const,
  settings: () => [...paymentsKeys.all, 'settings'] as const,
};
