import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http, type Schemas } from '@/lib/api';
import { teamsKeys } from './keys';

export type CreateTeamInput = Schemas['CreateTeam'];

/** `POST /teams` (admins); 409 `team_name_taken`. */
export async function createTeam(input: CreateTeamInput) {
  const { team } = await call(http.POST('/api/v1/teams', { body: input }));
  return team;
}

export function useCreateTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createTeam,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamsKeys.all }),
  });
}
