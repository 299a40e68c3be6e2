import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { teamsKeys } from './keys';

/** `DELETE /teams/{id}` (admins). Members stay in the workspace. */
export async function deleteTeam(id: string): Promise<void> {
  await call(http.DELETE('/api/v1/teams/{id}', { params: { path: { id } } }));
}

export function useDeleteTeam() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteTeam,
    onSuccess: (_data, id) => {
      queryClient.removeQueries({ queryKey: teamsKeys.members(id) });
      return queryClient.invalidateQueries({ queryKey: teamsKeys.list() });
    },
  });
}
