import { useMutation, useQueryClient } from '@tanstack/react-query';
import { call, http, type Schemas } from '@/lib/api';
import { channelsKeys } from './keys';

export type ChannelPatch = Schemas['UpdateChannel'];

/** `PATCH /channels/{id}` (admins): name, enabled, account fields, credentials (replaced whole). */
export async function updateChannel({ id, patch }: { id: string; patch: ChannelPatch }) {
  const { channel } = await call(http.PATCH('/api/v1/channels/{id}', { params: { path: { id } }, body: patch }));
  return channel;
}

export function useUpdateChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: updateChannel,
    onSuccess: () => qc.invalidateQueries({ queryKey: channelsKeys.all }),
  });
}

/** `DELETE /channels/{id}` (admins): disables the channel (history is kept). */
export async function disableChannel(id: string) {
  const { channel } = await call(http.DELETE('/api/v1/channels/{id}', { params: { path: { id } } }));
  return channel;
}

export function useDisableChannel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: disableChannel,
    onSuccess: () => qc.invalidateQueries({ queryKey: channelsKeys.all }),
  });
}
