import type { QueryClient } from '@tanstack/react-query';
import { onReconnect, onSocketEvent } from '@/lib/socket';
import { applyChannelStatus, isChannelStatusEvent } from './api/cache';
import { channelsKeys } from './api/keys';

/** `channel_status` → the channels list and the Z-API connect screen; refetch after a reconnect. */
export function registerChannelsRealtime(qc: QueryClient): () => void {
  const offs = [
    onSocketEvent('channel_status', (payload) => {
      if (isChannelStatusEvent(payload)) applyChannelStatus(qc, payload);
    }),
    onReconnect(() => {
      void qc.invalidateQueries({ queryKey: channelsKeys.list() });
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
