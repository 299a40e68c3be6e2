import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { call, http, type Schemas } from '@/lib/api';
import { paymentsKeys } from './keys';

export type UpdateAsaasSettingsInput = Schemas['UpdateAsaasSettings'];

/** `GET /asaas/settings` (admins): environment, whether a key is saved, webhook URL and token. */
export async function getAsaasSettings(signal?: AbortSignal) {
  const { asaasSettings } = await call(http.GET('/api/v1/asaas/settings', { signal }));
  return asaasSettings;
}

export const asaasSettingsQueryOptions = () =>
  queryOptions({ queryKey: paymentsKeys.settings(), queryFn: ({ signal }) => getAsaasSettings(signal) });

export function useAsaasSettings() {
  return useQuery(asaasSettingsQueryOptions());
}

/** `PUT /asaas/settings` (admins): absent fields keep their value. */
export async function updateAsaasSettings(input: UpdateAsaasSettingsInput) {
  const { asaasSettings } = await call(http.PUT('/api/v1/asaas/settings', { body: input }));
  return asaasSettings;
}

export function useUpdateAsaasSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updateAsaasSettings,
    onSuccess: (settings) => {
      qc.setQueryData(paymentsKeys.settings(), settings);
    },
  });
}

export type AsaasConnection = Schemas['AsaasConnection'];

/** `POST /asaas/settings/test` (admins): whose account a key opens; nothing is saved. */
export async function testAsaasConnection(input: Schemas['TestAsaasConnection']) {
  return call(http.POST('/api/v1/asaas/settings/test', { body: input }));
}

export function useTestAsaasConnection() {
  return useMutation({ mutationFn: testAsaasConnection });
}
