import { useQuery } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { inboxKeys } from './keys';

/** How many conversations the caller can see have unread customer messages. */
export async function unreadTotal(signal?: AbortSignal) {
  const { total } = await call(
    http.GET('/api/v1/conversations', { params: { query: { unread: true, agentId: 'all', limit: 1 } }, signal }),
  );
  return total;
}

export function useUnreadTotal(enabled = true) {
  return useQuery({ queryKey: inboxKeys.unread(), queryFn: ({ signal }) => unreadTotal(signal), enabled, staleTime: 60_000 });
}
