import { queryOptions, useQuery } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { teamsKeys } from './keys';

/** `GET /teams/{id}/members`. */
export async function listMembers(teamId: string, signal?: AbortSignal) {
  const { members } = await call(http.GET('/api/v1/teams/{id}/members', { params: { path: { id: teamId } }, signal }));
  return members;
}

export const membersQueryOptions = (teamId: string) =>
  queryOptions({ queryKey: teamsKeys.members(teamId), queryFn: ({ signal }) => listMembers(teamId, signal) });

export function useMembers(teamId: string) {
  return useQuery(membersQueryOptions(teamId));
}
