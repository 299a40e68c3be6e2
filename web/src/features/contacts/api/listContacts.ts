import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { contactsKeys, type ContactsFilter } from './keys';

/** `GET /contacts`: search matches name, email, phone (digits too) and channel identities. */
export function listContacts(filter: ContactsFilter, signal?: AbortSignal) {
  const query = { ...filter, search: filter.search?.trim() || undefined };
  return call(http.GET('/api/v1/contacts', { params: { query }, signal }));
}

export const contactsQueryOptions = (filter: ContactsFilter) =>
  queryOptions({
    queryKey: contactsKeys.list(filter),
    queryFn: ({ signal }) => listContacts(filter, signal),
    placeholderData: keepPreviousData,
  });

export function useContacts(filter: ContactsFilter) {
  return useQuery(contactsQueryOptions(filter));
}
