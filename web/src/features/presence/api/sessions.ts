import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { presenceKeys, type WorkSession } from './keys';

export interface SessionsRange {
  /** RFC 3339 */
  from: string;
  /** RFC 3339 */
  to: string;
  /** Someone else's sessions (managers, admins); mine when left out. */
  agentId?: string;
}

/** `GET /activity/sessions?agentId&from&to`: work sessions with their idle periods. */
export async function listSessions(range: SessionsRange, signal?: AbortSignal): Promise<WorkSession[]> {
  const query = { from: range.from, to: range.to, ...(range.agentId === undefined ? {} : { agentId: range.agentId }) };
  const { items } = await call(http.GET('/api/v1/activity/sessions', { params: { query }, signal }));
  return items;
}

export const sessionsQueryOptions = (range: SessionsRange) =>
  queryOptions({
    queryKey: presenceKeys.sessions(range),
    queryFn: ({ signal }) => listSessions(range, signal),
    placeholderData: keepPreviousData,
  });

export function useSessions(range: SessionsRange) {
  return useQuery(sessionsQueryOptions(range));
}
