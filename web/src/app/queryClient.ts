import { QueryCache, QueryClient } from '@tanstack/react-query';
import { meQueryKey, useSession } from '@/features/auth';

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    // A 401 from any query means the session ended (expired, revoked, deactivated):
    // forget it, and RequireAuth asks /auth/me again, which sends the user to /login.
    queryCache: new QueryCache({
      onError: (err, query) => {
        if (err.status !== 401 || query.queryKey === meQueryKey) return;
        if (useSession.getState().status !== 'authenticated') return;
        client.removeQueries({ queryKey: meQueryKey });
        useSession.getState().reset();
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (count, err) => err.status >= 500 && count < 2,
      },
      mutations: { retry: false },
    },
  });
  return client;
}
