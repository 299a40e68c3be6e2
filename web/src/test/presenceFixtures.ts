import type { ActivityMe, PresenceView, ProductivitySettings, WorkSession } from '@/features/presence';
import { SESSION } from './utils';

export const SETTINGS: ProductivitySettings = {
  idleTimeoutMinutes: 10,
  serverTimeoutMinutes: 2,
  offlineTimeoutMinutes: 30,
  autoLogout: false,
  autoLogoutGraceMinutes: 5,
  presenceRouting: false,
  maxOpenPerAgent: null,
  requeueOnOffline: false,
};

export function secondsAgo(s: number): string {
  return new Date(Date.now() - s * 1000).toISOString();
}

export function presence(overrides: Partial<PresenceView> = {}): PresenceView {
  return {
    agentId: SESSION.user.id,
    name: SESSION.user.name,
    teamIds: [],
    status: 'ACTIVE',
    since: secondsAgo(10),
    reason: 'login',
    availability: 'online',
    session: { id: 'ws-1', loginAt: secondsAgo(3600), activeSeconds: 3000, idleSeconds: 590 },
    ...overrides,
  };
}

export function activityMe(overrides: Partial<ActivityMe> = {}): ActivityMe {
  return { presence: presence(), settings: SETTINGS, noticeAcknowledged: true, ...overrides };
}

export function workSession(overrides: Partial<WorkSession> = {}): WorkSession {
  return {
    id: 'ws-1',
    agentId: SESSION.user.id,
    loginAt: '2026-12-02T11:00:00Z',
    logoutAt: '2026-12-02T19:00:00Z',
    endReason: 'logout',
    status: 'OFFLINE',
    totalSeconds: 8 * 3600,
    activeSeconds: 8 * 3600 - 1500,
    idleSeconds: 1500,
    idlePeriods: [
      { startedAt: '2026-12-02T14:00:00Z', endedAt: '2026-12-02T14:15:00Z', seconds: 900, source: 'client' },
      { startedAt: '2026-12-02T16:00:00Z', endedAt: '2026-12-02T16:10:00Z', seconds: 600, source: 'server' },
    ],
    ...overrides,
  };
}
