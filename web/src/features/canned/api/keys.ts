import type { Schemas } from '@/lib/api';

export type CannedResponse = Schemas['CannedResponseView'];

export const cannedKeys = {
  all: ['canned'] as const,
  list: (search: string) => [...cannedKeys.all, 'list', search] as const,
};
