import { infiniteQueryOptions, useInfiniteQuery, type InfiniteData } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { inboxKeys, type ConversationPage, type ConversationQuery } from './keys';

export const CONVERSATIONS_PAGE_SIZE = 40;

/** `GET /conversations`: newest activity first, offset paging, with the caller's unread counts. */
export function listConversations(query: ConversationQuery, offset: number, signal?: AbortSignal) {
  return call(
    http.GET('/api/v1/conversations', {
      params: { query: { ...query, limit: CONVERSATIONS_PAGE_SIZE, offset } },
      signal,
    }),
  );
}

export type ConversationPages = InfiniteData<ConversationPage, number>;

export const conversationsQueryOptions = (query: ConversationQuery) =>
  infiniteQueryOptions({
    queryKey: inboxKeys.list(query),
    queryFn: ({ pageParam, signal }) => listConversations(query, pageParam, signal),
    initialPageParam: 0,
    getNextPageParam: (last, pages) => {
      const loaded = pages.reduce((n, p) => n + p.conversations.length, 0);
      return loaded < last.total && last.conversations.length > 0 ? loaded : undefined;
    },
  });

export function useConversations(query: ConversationQuery) {
  return useInfiniteQuery(conversationsQueryOptions(query));
}
