import { queryOptions, useQuery } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { useSession } from '../hooks/useSession';
import { sessionSchema, type Session } from './types';

export const meQueryKey = ['auth', 'me'] as const;

/** `GET /api/v1/auth/me`: 200 with the session, 401 when the cookie is missing or expired. */
export async function getMe(signal?: AbortSignal): Promise<Session> {
  const session = await call(http.GET('/api/v1/auth/me', { signal }), sessionSchema);
  useSession.getState().setSession(session);
  return session;
}

export const meQueryOptions = () =>
  queryOptions({
    queryKey: meQueryKey,
    queryFn: ({ signal }) => getMe(signal),
    retry: false,
    staleTime: Infinity,
  });

export function useMe(enabled: boolean) {
  return useQuery({ ...meQueryOptions(), enabled });
}
