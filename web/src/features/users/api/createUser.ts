import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http, type Schemas } from '@/lib/api';
import { usersKeys } from './keys';

export type CreateUserInput = Schemas['CreateUser'];

/** `POST /users` (admins): 201 `{user}`; 409 `email_taken`. */
export async function createUser(input: CreateUserInput) {
  const { user } = await call(http.POST('/api/v1/users', { body: input }));
  return user;
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createUser,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: usersKeys.all }),
  });
}
