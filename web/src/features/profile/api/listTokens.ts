import { queryOptions, useQuery } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { tokensKeys } from './keys';

/** `GET /auth/tokens`: the caller's personal API tokens (never the secrets), revoked ones included. */
export async function listTokens(signal?: AbortSignal) {
  const { apiTokens } = await call(http.GET('/api/v1/auth/tokens', { signal }));
  return apiTokens;
}

export const tokensQueryOptions = () => queryOptions({ queryKey: tokensKeys.all, queryFn: ({ signal }) => listTokens(signal) });

export function useTokens() {
  return useQuery(tokensQueryOptions());
}
