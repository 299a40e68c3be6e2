import { queryOptions, useQuery } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { settingsKeys } from './keys';

/** `GET /settings` (managers and admins). */
export async function getSettings(signal?: AbortSignal) {
  const { settings } = await call(http.GET('/api/v1/settings', { signal }));
  return settings;
}

export const settingsQueryOptions = () => queryOptions({ queryKey: settingsKeys.all, queryFn: ({ signal }) => getSettings(signal) });

export function useSettings() {
  return useQuery(settingsQueryOptions());
}
