import type { Schemas } from '@/lib/api';

// The issue-10 contract, generated from the server's OpenAPI document.
export type PresenceStatus = Schemas['PresenceStatus'];
export type Availability = Schemas['Availability'];
export type PresenceSession = Schemas['PresenceSession'];
/** An agent's measured presence, as the server sends it (REST and socket). */
export type PresenceView = Schemas['PresenceView'];
export type ProductivitySettings = Schemas['ProductivitySettings'];
export type ActivityMe = Schemas['ActivityMe'];
export type IdlePeriod = Schemas['IdlePeriodView'];
export type SessionEndReason = Schemas['EndReason'];
export type WorkSession = Schemas['WorkSessionView'];
export type IdleWarning = Schemas['IdleWarning'];

export const presenceKeys = {
  all: ['presence'] as const,
  me: () => [...presenceKeys.all, 'me'] as const,
  board: () => [...presenceKeys.all, 'board'] as const,
  sessions: (range: { from: string; to: string; agentId?: string }) => [...presenceKeys.all, 'sessions', range] as const,
  settings: () => [...presenceKeys.all, 'settings'] as const,
};
