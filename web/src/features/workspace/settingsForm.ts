import { z } from 'zod';
import { msg, v } from '@/lib/forms';
import { LANGUAGES } from '@/lib/i18n';
import type { WorkspaceSettings } from './api/keys';

/** The server's limits (settings/mod.rs), so most mistakes are caught before sending. */
export const LIMITS = {
  fcrWindowDays: [1, 90],
  activityRetentionDays: [0, 3650],
} as const;
export type NumberKey = keyof typeof LIMITS;

/** What agents see (`agentVisibility`); managers and admins see every conversation. */
export const AGENT_VISIBILITY = ['all', 'teams', 'own'] as const;

export const schema = z.object({
  timezone: z
    .string()
    .trim()
    .min(1, msg('forms.required'))
    .max(64, msg('forms.maxLength', { count: 64 })),
  locale: z.enum(LANGUAGES),
  requireCategoryToResolve: z.boolean(),
  agentVisibility: z.enum(AGENT_VISIBILITY),
  fcrWindowDays: v.int(...LIMITS.fcrWindowDays),
  activityRetentionDays: v.int(...LIMITS.activityRetentionDays),
});
export type Values = z.infer<typeof schema>;
export const FIELDS = Object.keys(schema.shape) as (keyof Values)[];

/**
 * The form's fields out of the server's settings. The idle timeout and auto-logout the
 * server still lists here are set under Settings → Productivity now (the productivity
 * settings take them over), so this form neither shows nor sends them.
 */
export function toValues(s: WorkspaceSettings): Values {
  return {
    timezone: s.timezone,
    locale: s.locale === 'en' ? 'en' : 'pt-BR',
    requireCategoryToResolve: s.requireCategoryToResolve,
    agentVisibility: s.agentVisibility,
    fcrWindowDays: s.fcrWindowDays,
    activityRetentionDays: s.activityRetentionDays,
  };
}

/** Only the keys whose value differs from what the server has. */
export function changedKeys(saved: Values, values: Values): Partial<Values> {
  const patch: Partial<Record<keyof Values, unknown>> = {};
  for (const key of FIELDS) {
    if (values[key] !== saved[key]) patch[key] = values[key];
  }
  return patch as Partial<Values>;
}

