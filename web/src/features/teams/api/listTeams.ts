import { queryOptions, useQuery } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { teamsKeys } from './keys';

/** `GET /teams`: admins see all; managers their supervised and own teams; agents their own. */
export async function listTeams(signal?: AbortSignal) {
  const { teams } = await call(http.GET('/api/v1/teams', { signal }));
  return teams;
}

// Embeds users (member counts): a changed user refreshes it (see lib/embeds).
export const teamsQueryOptions = () =>
  queryOptions({ queryKey: teamsKeys.list(), queryFn: ({ signal }) => listTeams(signal), meta: { embeds: ['user'] } });

export function useTeams() {
  return useQuery(teamsQueryOptions());
}
