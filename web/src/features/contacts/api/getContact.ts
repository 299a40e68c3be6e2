import { queryOptions, useQuery } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { contactsKeys } from './keys';

/** `GET /contacts/{id}`. */
export async function getContact(id: string, signal?: AbortSignal) {
  const { contact } = await call(http.GET('/api/v1/contacts/{id}', { params: { path: { id } }, signal }));
  return contact;
}

export const contactQueryOptions = (id: string) =>
  queryOptions({ queryKey: contactsKeys.detail(id), queryFn: ({ signal }) => getContact(id, signal) });

export function useContact(id: string) {
  return useQuery(contactQueryOptions(id));
}
