import type { Schemas } from '@/lib/api';

export type Channel = Schemas['ChannelView'];

export const channelsKeys = {
  all: ['channels'] as const,
  list: () => [...channelsKeys.all, 'list'] as const,
};
