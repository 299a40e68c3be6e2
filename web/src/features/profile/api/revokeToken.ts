import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { tokensKeys } from './keys';

/** `DELETE /auth/tokens/{id}`: revokes one of the caller's tokens. */
export async function revokeToken(id: string): Promise<void> {
  await call(http.DELETE('/api/v1/auth/tokens/{id}', { params: { path: { id } } }));
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeToken,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKeys.all }),
  });
}
