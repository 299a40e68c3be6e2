import { queryOptions, useQuery } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { paymentsKeys, type ChargeList } from './keys';

/** `GET /asaas/charges?contactId`: the contact's charges, newest first. */
export async function listContactCharges(contactId: string, signal?: AbortSignal): Promise<ChargeList> {
  return call(http.GET('/api/v1/asaas/charges', { params: { query: { contactId, limit: 50 } }, signal }));
}

export const contactChargesQueryOptions = (contactId: string) =>
  queryOptions({ queryKey: paymentsKeys.contactCharges(contactId), queryFn: ({ signal }) => listContactCharges(contactId, signal) });

export function useContactCharges(contactId: string) {
  return useQuery(contactChargesQueryOptions(contactId));
}
