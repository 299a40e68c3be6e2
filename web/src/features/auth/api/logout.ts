import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { useSession } from '../hooks/useSession';

/** `POST /api/v1/auth/logout`: ends the server session and clears the cookie. */
export async function logout(): Promise<undefined> {
  await call(http.POST('/api/v1/auth/logout'));
  return undefined;
}

/** On success (or a 401: already signed out) the session is dropped and RequireAuth sends the user to /login. */
export function useLogout() {
  const queryClient = useQueryClient();
  const signOut = useSession((s) => s.signOut);
  const done = () => {
    signOut();
    queryClient.clear();
  };
  return useMutation<undefined>({
    mutationFn: logout,
    onSuccess: done,
    onError: (err) => {
      if (err.status === 401) done();
    },
  });
}
