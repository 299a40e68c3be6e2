import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http, type ApiError } from '@/lib/api';
import { useSession } from '../hooks/useSession';
import { meQueryKey } from './me';
import { loginResponseSchema, type LoginInput, type LoginResult, type Session } from './types';

/** `POST /api/v1/auth/login`; the server also sets the HttpOnly session cookie. */
export function login(input: LoginInput): Promise<LoginResult> {
  return call(http.POST('/api/v1/auth/login', { body: input }), loginResponseSchema);
}

export function useLogin() {
  const queryClient = useQueryClient();
  const setSession = useSession((s) => s.setSession);
  return useMutation<LoginResult, ApiError, LoginInput>({
    mutationFn: login,
    onSuccess: ({ user, tenant }) => {
      const session: Session = { user, tenant };
      setSession(session);
      queryClient.setQueryData(meQueryKey, session);
    },
  });
}
