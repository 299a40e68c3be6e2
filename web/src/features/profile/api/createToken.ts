import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http, type Schemas } from '@/lib/api';
import { tokensKeys } from './keys';

export type CreateTokenInput = Schemas['CreateTokenRequest'];

/** `POST /auth/tokens`: 201 `{token, apiToken}`; `token` is the secret, shown only this once. */
export function createToken(input: CreateTokenInput) {
  return call(http.POST('/api/v1/auth/tokens', { body: input }));
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createToken,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tokensKeys.all }),
  });
}
