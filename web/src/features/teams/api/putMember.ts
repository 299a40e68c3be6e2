import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { teamsKeys, type MemberView } from './keys';

export interface PutMemberInput {
  teamId: string;
  userId: string;
  supervisor: boolean;
}

/**
 * `PUT /teams/{id}/members/{userId}` (admins): adds the user or changes whether they
 * supervise. 422 when an AGENT would become supervisor.
 */
export async function putMember({ teamId, userId, supervisor }: PutMemberInput) {
  const { member } = await call(
    http.PUT('/api/v1/teams/{id}/members/{user_id}', {
      params: { path: { id: teamId, user_id: userId } },
      body: { supervisor },
    }),
  );
  return member;
}

export function usePutMember() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: putMember,
    onSuccess: (member, { teamId }) => {
      // Show the change at once; the refetch below confirms it.
      queryClient.setQueryData<MemberView[]>(teamsKeys.members(teamId), (old) =>
        old === undefined
          ? old
          : old.some((m) => m.userId === member.userId)
            ? old.map((m) => (m.userId === member.userId ? member : m))
            : [...old, member],
      );
      return queryClient.invalidateQueries({ queryKey: teamsKeys.all });
    },
  });
}
