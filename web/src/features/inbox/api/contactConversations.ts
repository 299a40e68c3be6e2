import { queryOptions, useQuery } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { inboxKeys } from './keys';

/** `GET /contacts/{id}/conversations`: the contact's history on every channel. */
export async function listContactConversations(contactId: string, signal?: AbortSignal) {
  const { conversations } = await call(
    http.GET('/api/v1/contacts/{id}/conversations', { params: { path: { id: contactId } }, signal }),
  );
  return conversations;
}

export const contactConversationsQueryOptions = (contactId: string) =>
  queryOptions({
    queryKey: inboxKeys.byContact(contactId),
    queryFn: ({ signal }) => listContactConversations(contactId, signal),
  });

export function useContactConversations(contactId: string) {
  return useQuery(contactConversationsQueryOptions(contactId));
}
