import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { teamsKeys, type MemberView } from './keys';

/** `DELETE /teams/{id}/members/{userId}` (admins). */
export async function removeMember({ teamId, userId }: { teamId: string; userId: string }): Promise<void> {
  await call(http.DELETE('/api/v1/teams/{id}/members/{user_id}', { params: { path: { id: teamId, user_id: userId } } }));
}

export function useRemoveMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: removeMember,
    onSuccess: (_data, { teamId, userId }) => {
      queryClient.setQueryData<MemberView[]>(teamsKeys.members(teamId), (old) => old?.filter((m) => m.userId !== userId));
      return queryClient.invalidateQueries({ queryKey: teamsKeys.all });
    },
  });
}
