import type { Schemas } from '@/lib/api';

export type ApiToken = Schemas['ApiTokenView'];

export const tokensKeys = {
  all: ['auth', 'tokens'] as const,
};
