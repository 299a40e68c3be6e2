import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { meQueryKey, useSession } from '@/features/auth';
import { call, http, type Schemas } from '@/lib/api';
import { invalidateEmbedding } from '@/lib/embeds';
import { usersKeys, type UserView } from './keys';

export type UpdateUserInput = Schemas['UpdateUser'];

/**
 * `PATCH /users/{id}`: only the given fields change. Admins change anyone; everyone
 * may change their own name, password and availability. 409 `email_taken`,
 * `last_admin`, `cannot_deactivate_self`.
 */
export async function updateUser({ id, patch }: { id: string; patch: UpdateUserInput }) {
  const { user } = await call(http.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body: patch }));
  return user;
}

/**
 * After a user changes: refresh lists and whatever shows users (team member views);
 * keep the session's own name current.
 */
export function userChanged(queryClient: QueryClient, user: UserView) {
  queryClient.setQueryData(usersKeys.detail(user.id), user);
  void queryClient.invalidateQueries({ queryKey: usersKeys.lists() });
  void invalidateEmbedding(queryClient, 'user');
  const { user: me, tenant, setSession } = useSession.getState();
  if (me?.id === user.id && tenant !== null) {
    const session = { user: { ...me, name: user.name, email: user.email, role: user.role }, tenant };
    setSession(session);
    queryClient.setQueryData(meQueryKey, session);
  }
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateUser,
    onSuccess: (user) => {
      userChanged(queryClient, user);
    },
  });
}
