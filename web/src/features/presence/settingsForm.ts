import { z } from 'zod';
import { msg, v } from '@/lib/forms';
import type { ProductivitySettings } from './api/keys';

/** The server's limits (issue-10 contract), so most mistakes are caught before sending. */
export const LIMITS = {
  idleTimeoutMinutes: [1, 240],
  serverTimeoutMinutes: [1, 60],
  offlineTimeoutMinutes: [2, 1440],
  autoLogoutGraceMinutes: [0, 120],
  maxOpenPerAgent: [1, 1000],
} as const;
export type NumberKey = Exclude<keyof typeof LIMITS, 'maxOpenPerAgent'>;

const [capMin, capMax] = LIMITS.maxOpenPerAgent;
const capRange = msg('forms.range', { min: capMin, max: capMax });

export const schema = z.object({
  idleTimeoutMinutes: v.int(...LIMITS.idleTimeoutMinutes),
  serverTimeoutMinutes: v.int(...LIMITS.serverTimeoutMinutes),
  offlineTimeoutMinutes: v.int(...LIMITS.offlineTimeoutMinutes),
  autoLogout: z.boolean(),
  autoLogoutGraceMinutes: v.int(...LIMITS.autoLogoutGraceMinutes),
  presenceRouting: z.boolean(),
  // Blank means no cap.
  maxOpenPerAgent: z.number(capRange).int(capRange).min(capMin, capRange).max(capMax, capRange).nullable(),
  requeueOnOffline: z.boolean(),
}).refine((s) => s.offlineTimeoutMinutes > s.idleTimeoutMinutes + s.serverTimeoutMinutes, {
  // Offline closes the session: it must come after idle (client) and the server's extra wait.
  path: ['offlineTimeoutMinutes'],
  error: 'presence.settings.offlineTooShort',
});
export type Values = z.infer<typeof schema>;
export const FIELDS: (keyof Values)[] = [
  'idleTimeoutMinutes',
  'serverTimeoutMinutes',
  'offlineTimeoutMinutes',
  'autoLogout',
  'autoLogoutGraceMinutes',
  'presenceRouting',
  'maxOpenPerAgent',
  'requeueOnOffline',
];

/** The form starts from exactly the server's settings (extra fields it may add are kept aside). */
export function toValues(s: ProductivitySettings): Values {
  return {
    idleTimeoutMinutes: s.idleTimeoutMinutes,
    serverTimeoutMinutes: s.serverTimeoutMinutes,
    offlineTimeoutMinutes: s.offlineTimeoutMinutes,
    autoLogout: s.autoLogout,
    autoLogoutGraceMinutes: s.autoLogoutGraceMinutes,
    presenceRouting: s.presenceRouting,
    maxOpenPerAgent: s.maxOpenPerAgent,
    requeueOnOffline: s.requeueOnOffline,
  };
}

/** An empty number input is "no cap"; anything else a number (NaN fails validation). */
export function capFromInput(value: unknown): number | null {
  if (value === '' || value === null || value === undefined) return null;
  return typeof value === 'number' ? value : Number(value);
}
