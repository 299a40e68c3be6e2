import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { presenceKeys, type ActivityMe, type ProductivitySettings } from './keys';

/** `GET /settings/productivity` (anyone signed in). */
export function getProductivitySettings(signal?: AbortSignal): Promise<ProductivitySettings> {
  return call(http.GET('/api/v1/settings/productivity', { signal }));
}

export const productivitySettingsQueryOptions = () =>
  queryOptions({ queryKey: presenceKeys.settings(), queryFn: ({ signal }) => getProductivitySettings(signal) });

export function useProductivitySettings() {
  return useQuery(productivitySettingsQueryOptions());
}

/** New settings (a save here, or `productivity_settings_updated` from the socket) apply everywhere at once. */
export function applyProductivitySettings(qc: QueryClient, settings: ProductivitySettings): void {
  qc.setQueryData(presenceKeys.settings(), settings);
  qc.setQueryData<ActivityMe>(presenceKeys.me(), (me) => (me === undefined ? me : { ...me, settings }));
}

/** `PUT /settings/productivity` (admins): the whole object; 422 names the fields it refuses. */
export function useUpdateProductivitySettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (settings: ProductivitySettings) => call(http.PUT('/api/v1/settings/productivity', { body: settings })),
    onSuccess: (settings) => {
      applyProductivitySettings(qc, settings);
    },
  });
}
