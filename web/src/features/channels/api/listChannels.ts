import { queryOptions, useQuery } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { channelsKeys } from './keys';

/** `GET /channels`: the workspace's channels (for filters and the inbox's empty state). */
export async function listChannels(signal?: AbortSignal) {
  const { channels } = await call(http.GET('/api/v1/channels', { signal }));
  return channels;
}

export const channelsQueryOptions = () =>
  queryOptions({ queryKey: channelsKeys.list(), queryFn: ({ signal }) => listChannels(signal), staleTime: 5 * 60_000 });

export function useChannels() {
  return useQuery(channelsQueryOptions());
}
