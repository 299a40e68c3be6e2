import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { inboxKeys } from './keys';

export const MESSAGES_PAGE_SIZE = 40;

/** `GET /messages`: a page of history, newest first; `nextCursor` for older messages. */
export function listMessages(conversationId: string, cursor: string | undefined, signal?: AbortSignal) {
  return call(
    http.GET('/api/v1/messages', {
      params: { query: { conversationId, limit: MESSAGES_PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
      signal,
    }),
  );
}

export const messagesQueryOptions = (conversationId: string) =>
  infiniteQueryOptions({
    queryKey: inboxKeys.messages(conversationId),
    queryFn: ({ pageParam, signal }) => listMessages(conversationId, pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    // Socket events keep it current; a reconnect refetches it.
    staleTime: Infinity,
  });

export function useMessages(conversationId: string) {
  return useInfiniteQuery(messagesQueryOptions(conversationId));
}
