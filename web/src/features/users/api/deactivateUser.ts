import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { userChanged } from './updateUser';

/** `POST /users/{id}/deactivate` (admins): also ends their sessions and API tokens. */
export async function deactivateUser(id: string) {
  const { user } = await call(http.POST('/api/v1/users/{id}/deactivate', { params: { path: { id } } }));
  return user;
}

export function useDeactivateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deactivateUser,
    onSuccess: (user) => {
      userChanged(queryClient, user);
    },
  });
}
