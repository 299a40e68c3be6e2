import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { paymentsKeys } from './keys';
import { upsertCharge } from './cache';

/** `DELETE /asaas/charges/{id}`: cancels a pending or overdue charge (status DELETED). */
export async function cancelCharge(id: string) {
  const { asaasCharge } = await call(http.DELETE('/api/v1/asaas/charges/{id}', { params: { path: { id } } }));
  return asaasCharge;
}

export function useCancelCharge() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: cancelCharge,
    onSuccess: (charge) => {
      upsertCharge(qc, charge);
      void qc.invalidateQueries({ queryKey: paymentsKeys.charges() });
    },
  });
}
