import { infiniteQueryOptions, keepPreviousData, queryOptions, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { call, http, type Schemas } from '@/lib/api';

export type SearchResults = Schemas['SearchResults'];
export type ContactHit = Schemas['ContactHit'];
export type ConversationHit = Schemas['ConversationHit'];
export type MessageHit = Schemas['MessageHit'];
export type TextPart = Schemas['TextPart'];
/** One kind of result (the palette shows a few of each, or pages through one). */
export type SearchKind = 'contacts' | 'conversations' | 'messages';

/** Fewer characters than this and the palette does not ask the server yet. */
export const MIN_QUERY_CHARS = 2;
const PAGE_SIZE = 20;

export const searchKeys = {
  all: ['search'] as const,
  overview: (q: string) => [...searchKeys.all, 'all', q] as const,
  kind: (kind: SearchKind, q: string) => [...searchKeys.all, kind, q] as const,
};

/**
 * `GET /search`. The query goes as typed (untrimmed at the end): the server ignores
 * accents and case, matches phones by digits, and treats a last word without a
 * trailing space as a prefix.
 */
export function search(q: string, kind: 'all' | SearchKind, limit: number, offset: number, signal?: AbortSignal) {
  return call(http.GET('/api/v1/search', { params: { query: { q, kind, limit, offset } }, signal }));
}

export function searchable(q: string): boolean {
  return q.trim().length >= MIN_QUERY_CHARS;
}

/** A few contacts, conversations and messages for the palette. */
export function useSearchOverview(q: string) {
  return useQuery(
    queryOptions({
      queryKey: searchKeys.overview(q),
      queryFn: ({ signal }) => search(q, 'all', 5, 0, signal),
      enabled: searchable(q),
      placeholderData: keepPreviousData,
      staleTime: 10_000,
    }),
  );
}

function countOf(page: SearchResults, kind: SearchKind): number {
  return page[kind].length;
}

/** Every result of one kind, a page at a time. */
export function useSearchKind(kind: SearchKind | null, q: string) {
  return useInfiniteQuery(
    infiniteQueryOptions({
      queryKey: searchKeys.kind(kind ?? 'messages', q),
      queryFn: ({ pageParam, signal }) => search(q, kind ?? 'messages', PAGE_SIZE, pageParam, signal),
      initialPageParam: 0,
      enabled: kind !== null && searchable(q),
      getNextPageParam: (last, pages) =>
        kind !== null && last.more[kind] ? pages.reduce((n, p) => n + countOf(p, kind), 0) : undefined,
      staleTime: 10_000,
    }),
  );
}
