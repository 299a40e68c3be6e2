import type { QueryClient } from '@tanstack/react-query';
import { paymentsKeys, type Charge, type ChargeList, type PaymentUpdate } from './keys';

const isList = (v: unknown): v is ChargeList =>
  typeof v === 'object' && v !== null && Array.isArray((v as ChargeList).asaasCharges);

/**
 * `payment_update`: sets the charge's status in every cached charges list that has it.
 * When the contact's list is cached but does not have the charge yet (created
 * elsewhere), that list is refetched. Returns whether any cached row changed.
 */
export function applyPaymentUpdate(qc: QueryClient, update: PaymentUpdate): boolean {
  let found = false;
  let changed = false;
  for (const [key, data] of qc.getQueriesData<ChargeList>({ queryKey: paymentsKeys.charges() })) {
    if (!isList(data)) continue;
    const i = data.asaasCharges.findIndex((c) => c.id === update.chargeId);
    if (i === -1) continue;
    found = true;
    const current = data.asaasCharges[i];
    if (current === undefined || current.status === update.status) continue;
    changed = true;
    const asaasCharges = data.asaasCharges.slice();
    asaasCharges[i] = { ...current, status: update.status };
    qc.setQueryData<ChargeList>(key, { ...data, asaasCharges });
  }
  if (!found && typeof update.contactId === 'string') {
    void qc.invalidateQueries({ queryKey: paymentsKeys.contactCharges(update.contactId) });
  }
  return changed;
}

/** Puts a charge the server returned into its contact's cached list (new ones first). */
export function upsertCharge(qc: QueryClient, charge: Charge): void {
  if (!charge.contactId) return;
  qc.setQueryData<ChargeList>(paymentsKeys.contactCharges(charge.contactId), (data) => {
    if (!isList(data)) return data;
    const i = data.asaasCharges.findIndex((c) => c.id === charge.id);
    if (i === -1) return { asaasCharges: [charge, ...data.asaasCharges], total: data.total + 1 };
    const asaasCharges = data.asaasCharges.slice();
    asaasCharges[i] = charge;
    return { ...data, asaasCharges };
  });
}

export function isPaymentUpdate(v: unknown): v is PaymentUpdate {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as PaymentUpdate).chargeId === 'string' &&
    typeof (v as PaymentUpdate).status === 'string'
  );
}
