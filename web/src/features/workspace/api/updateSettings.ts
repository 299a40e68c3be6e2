import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { settingsKeys, type WorkspaceSettings } from './keys';

/**
 * `PUT /settings` (admins) with only the keys to change; answers with all settings.
 * (The OpenAPI document describes the body as the full object, but the server takes
 * any subset and refuses unknown keys.)
 */
export async function updateSettings(patch: Partial<WorkspaceSettings>) {
  const { settings } = await call(http.PUT('/api/v1/settings', { body: patch as WorkspaceSettings }));
  return settings;
}

export function useUpdateSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateSettings,
    onSuccess: (settings) => {
      queryClient.setQueryData(settingsKeys.all, settings);
    },
  });
}
