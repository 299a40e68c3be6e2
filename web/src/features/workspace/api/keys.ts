import type { Schemas } from '@/lib/api';

export type WorkspaceSettings = Schemas['TenantSettings'];

export const settingsKeys = {
  all: ['settings'] as const,
};
