import { queryOptions, useQuery } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { usersKeys } from './keys';

/** `GET /users/{id}`: anyone may read themselves; managers and admins anyone. */
export async function getUser(id: string, signal?: AbortSignal) {
  const { user } = await call(http.GET('/api/v1/users/{id}', { params: { path: { id } }, signal }));
  return user;
}

export const userQueryOptions = (id: string) =>
  queryOptions({ queryKey: usersKeys.detail(id), queryFn: ({ signal }) => getUser(id, signal) });

export function useUser(id: string | undefined) {
  return useQuery({ ...userQueryOptions(id ?? ''), enabled: id !== undefined });
}
