import { queryOptions, useQuery } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { inboxKeys } from './keys';

/** `GET /conversations/{id}`. */
export async function getConversation(id: string, signal?: AbortSignal) {
  const { conversation } = await call(http.GET('/api/v1/conversations/{id}', { params: { path: { id } }, signal }));
  return conversation;
}

export const conversationQueryOptions = (id: string) =>
  queryOptions({ queryKey: inboxKeys.detail(id), queryFn: ({ signal }) => getConversation(id, signal) });

export function useConversation(id: string | undefined) {
  return useQuery({ ...conversationQueryOptions(id ?? ''), enabled: id !== undefined });
}
