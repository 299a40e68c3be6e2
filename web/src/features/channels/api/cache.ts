import type { QueryClient } from '@tanstack/react-query';
import { channelsKeys, type Channel, type ChannelStatusEvent } from './keys';

/** Sets a channel's connection status in the cached list (no-op when unchanged). */
export function setConnectionStatus(qc: QueryClient, id: string, status: string): void {
  const list = qc.getQueryData<Channel[]>(channelsKeys.list());
  if (list === undefined) return;
  const i = list.findIndex((c) => c.id === id);
  const current = list[i];
  if (current === undefined || current.connectionStatus === status) return;
  const next = list.slice();
  next[i] = { ...current, connectionStatus: status };
  qc.setQueryData(channelsKeys.list(), next);
}

/** `channel_status`: the list's badge; a connected Z-API stops asking for QR codes. */
export function applyChannelStatus(qc: QueryClient, event: ChannelStatusEvent): void {
  setConnectionStatus(qc, event.channelId, event.connectionStatus);
  if (event.connectionStatus === 'connected') {
    qc.setQueryData(channelsKeys.qr(event.channelId), { connectionStatus: 'connected', qrCode: null });
  }
  void qc.invalidateQueries({ queryKey: channelsKeys.connection(event.channelId) });
}

export function isChannelStatusEvent(v: unknown): v is ChannelStatusEvent {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as ChannelStatusEvent).channelId === 'string' &&
    typeof (v as ChannelStatusEvent).connectionStatus === 'string'
  );
}
