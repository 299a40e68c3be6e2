import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { usersKeys, type UsersFilter } from './keys';

/** `GET /users` (managers and admins): a page of users plus the total that match. */
export function listUsers(filter: UsersFilter, signal?: AbortSignal) {
  const query = { ...filter, q: filter.q?.trim() || undefined };
  return call(http.GET('/api/v1/users', { params: { query }, signal }));
}

export const usersQueryOptions = (filter: UsersFilter) =>
  queryOptions({
    queryKey: usersKeys.list(filter),
    queryFn: ({ signal }) => listUsers(filter, signal),
    // Keep the rows on screen while the next search or page loads.
    placeholderData: keepPreviousData,
  });

export function useUsers(filter: UsersFilter, options: { enabled?: boolean } = {}) {
  return useQuery({ ...usersQueryOptions(filter), enabled: options.enabled ?? true });
}
