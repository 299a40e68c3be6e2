import type { Schemas } from '@/lib/api';

// The issue-10 contract (server branch `rw1`). Written by hand until the generated
// schema carries these types; the field names are the server's.

export type PresenceStatus = 'ACTIVE' | 'IDLE' | 'OFFLINE';
export type Availability = Schemas['Availability'];

export interface PresenceSession {
  id: string;
  loginAt: string;
  /** Active seconds up to `since` (the client adds the time since then while ACTIVE). */
  activeSeconds: number;
  /** Idle seconds up to `since`. */
  idleSeconds: number;
}

/** An agent's measured presence, as the server sends it (REST and socket). */
export interface PresenceView {
  agentId: string;
  name: string;
  teamIds: string[];
  status: PresenceStatus;
  /** When the current status began (RFC 3339). */
  since: string;
  reason: string | null;
  /** The agent's own, manual availability (profile): intent, not measurement. */
  availability: Availability;
  session: PresenceSession | null;
}

export interface ProductivitySettings {
  idleTimeoutMinutes: number;
  serverTimeoutMinutes: number;
  offlineTimeoutMinutes: number;
  autoLogout: boolean;
  autoLogoutGraceMinutes: number;
  presenceRouting: boolean;
  maxOpenPerAgent: number | null;
  requeueOnOffline: boolean;
}

export interface ActivityMe {
  presence: PresenceView;
  settings: ProductivitySettings;
  noticeAcknowledged: boolean;
}

export interface IdlePeriod {
  startedAt: string;
  endedAt: string | null;
  seconds: number;
  source: 'client' | 'server';
}

export type SessionEndReason = 'logout' | 'expired' | 'forced' | 'server_timeout';

export interface WorkSession {
  id: string;
  agentId: string;
  loginAt: string;
  logoutAt: string | null;
  endReason: SessionEndReason | null;
  totalSeconds: number;
  activeSeconds: number;
  idleSeconds: number;
  idlePeriods: IdlePeriod[];
}

export interface IdleWarning {
  logoutAt: string;
}

export const presenceKeys = {
  all: ['presence'] as const,
  me: () => [...presenceKeys.all, 'me'] as const,
  board: () => [...presenceKeys.all, 'board'] as const,
  sessions: (range: { from: string; to: string; agentId?: string }) => [...presenceKeys.all, 'sessions', range] as const,
  settings: () => [...presenceKeys.all, 'settings'] as const,
};
