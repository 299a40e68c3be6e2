import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http, type Schemas } from '@/lib/api';
import { teamsKeys } from './keys';

export type UpdateTeamInput = Schemas['UpdateTeam'];

/** `PATCH /teams/{id}` (admins): rename, or change the description (`null` clears it). */
export async function updateTeam({ id, patch }: { id: string; patch: UpdateTeamInput }) {
  const { team } = await call(http.PATCH('/api/v1/teams/{id}', { params: { path: { id } }, body: patch }));
  return team;
}

export function useUpdateTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateTeam,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: teamsKeys.all }),
  });
}
