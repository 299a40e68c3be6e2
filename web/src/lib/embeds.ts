import type { QueryClient } from '@tanstack/react-query';

/**
 * Records that queries of one feature embed from another. A query whose data shows
 * users (names, roles…) says so with `meta: { embeds: ['user'] }`; the feature that
 * changes a user refreshes all of those with `invalidateEmbedding`, without importing
 * the features that own them. (The users feature refreshing the teams feature's
 * queries by key would be an import cycle: teams imports users.)
 */
export type Embedded = 'user';

declare module '@tanstack/react-query' {
  interface Register {
    queryMeta: { embeds?: readonly Embedded[] };
  }
}

/** Marks every cached query that embeds `what` stale, refetching the active ones. */
export function invalidateEmbedding(qc: QueryClient, what: Embedded) {
  return qc.invalidateQueries({ predicate: (query) => query.meta?.embeds?.includes(what) === true });
}
