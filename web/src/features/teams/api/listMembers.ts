import { queryOptions, useQuery } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { teamsKeys } from './keys';

/** `GET /teams/{id}/members`. */
export async function listMembers(teamId: string, signal?: AbortSignal) {
  const { members } = await call(http.GET('/api/v1/teams/{id}/members', { params: { path: { id: teamId } }, signal }));
  return members;
}

// Embeds users (names, emails, roles): a changed user refreshes it (see lib/embeds).
export const membersQueryOptions = (teamId: string) =>
  queryOptions({
    queryKey: teamsKeys.members(teamId),
    queryFn: ({ signal }) => listMembers(teamId, signal),
    meta: { embeds: ['user'] },
  });

export function useMembers(teamId: string) {
  return useQuery(membersQueryOptions(teamId));
}
