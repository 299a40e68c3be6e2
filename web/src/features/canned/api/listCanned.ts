import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { cannedKeys } from './keys';

/** `GET /canned-responses?search`: matches the short code or the content. */
export async function listCanned(search: string, signal?: AbortSignal) {
  const q = search.trim();
  const { cannedResponses } = await call(
    http.GET('/api/v1/canned-responses', { params: { query: q ? { search: q } : {} }, signal }),
  );
  return cannedResponses;
}

export const cannedQueryOptions = (search: string) =>
  queryOptions({
    queryKey: cannedKeys.list(search.trim()),
    queryFn: ({ signal }) => listCanned(search, signal),
    staleTime: 60_000,
    placeholderData: keepPreviousData,
  });

export function useCanned(search: string, enabled: boolean) {
  return useQuery({ ...cannedQueryOptions(search), enabled });
}
