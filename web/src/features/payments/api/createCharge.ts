import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http, type Schemas } from '@/lib/api';
import { paymentsKeys } from './keys';

export type CreateChargeInput = Schemas['CreateCharge'];

/** `POST /asaas/charges`: 201 `{asaasCharge}`; Asaas errors come back translated by code. */
export async function createCharge(input: CreateChargeInput) {
  const { asaasCharge } = await call(http.POST('/api/v1/asaas/charges', { body: input }));
  return asaasCharge;
}

export function useCreateCharge() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: createCharge,
    onSuccess: () => qc.invalidateQueries({ queryKey: paymentsKeys.charges() }),
  });
}
