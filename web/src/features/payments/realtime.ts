import type { QueryClient } from '@tanstack/react-query';
import { onReconnect, onSocketEvent } from '@/lib/socket';
import { applyPaymentUpdate, isPaymentUpdate } from './api/cache';
import { paymentsKeys } from './api/keys';

/** `payment_update` → the charges lists; refetch them after a reconnect. */
export function registerPaymentsRealtime(qc: QueryClient): () => void {
  const offs = [
    onSocketEvent('payment_update', (payload) => {
      if (isPaymentUpdate(payload)) applyPaymentUpdate(qc, { ...payload, contactId: payload.contactId ?? null, conversationId: payload.conversationId ?? null });
    }),
    onReconnect(() => {
      void qc.invalidateQueries({ queryKey: paymentsKeys.charges() });
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
