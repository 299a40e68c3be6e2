import type { SocketEvents } from '@/lib/socket/socket';
import type { Schemas } from '@/lib/api';

export type Channel = Schemas['ChannelView'];
export type ChannelType = Schemas['ChannelType'];
export type QrCode = Schemas['QrCodeView'];
export type ConnectionView = Schemas['ConnectionView'];

export const CHANNEL_TYPES: ChannelType[] = ['API', 'WHATSAPP_ZAPI', 'WHATSAPP_TWILIO', 'FACEBOOK_MESSENGER', 'INSTAGRAM'];
export const CONNECTION_STATUSES = ['connected', 'disconnected', 'qr_pending', 'pending', 'needs_attention'] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/** The `channel_status` socket payload (managers and admins), from the server's contract. */
export type ChannelStatusEvent = SocketEvents['channel_status'];

export const channelsKeys = {
  all: ['channels'] as const,
  list: () => [...channelsKeys.all, 'list'] as const,
  qr: (id: string) => [...channelsKeys.all, 'qr', id] as const,
  connection: (id: string) => [...channelsKeys.all, 'connection', id] as const,
};
