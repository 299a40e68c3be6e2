import { describe, expect, it } from 'vitest';
import type { PresenceView } from './api/keys';
import { activeSecondsAt, formatDuration, newer, secondsInStatus, transition } from './clock';

const T0 = Date.parse('2026-12-03T12:00:00Z');
const at = (s: number) => T0 + s * 1000;

function view(overrides: Partial<PresenceView> = {}): PresenceView {
  return {
    agentId: 'a1',
    name: 'Bruna',
    teamIds: [],
    status: 'ACTIVE',
    since: new Date(T0).toISOString(),
    reason: 'login',
    availability: 'online',
    session: { id: 's1', loginAt: new Date(T0 - 3_600_000).toISOString(), activeSeconds: 600, idleSeconds: 120 },
    ...overrides,
  };
}

describe('activeSecondsAt', () => {
  it('adds the time since `since` while ACTIVE', () => {
    expect(activeSecondsAt(view(), at(0))).toBe(600);
    expect(activeSecondsAt(view(), at(75))).toBe(675);
  });

  it('stands still while IDLE or OFFLINE', () => {
    expect(activeSecondsAt(view({ status: 'IDLE' }), at(500))).toBe(600);
    expect(activeSecondsAt(view({ status: 'OFFLINE' }), at(500))).toBe(600);
  });

  it('is 0 without a session, and never goes back when the client clock is behind', () => {
    expect(activeSecondsAt(view({ session: null }), at(10))).toBe(0);
    expect(activeSecondsAt(view(), at(-30))).toBe(600);
    expect(secondsInStatus(view(), at(-30))).toBe(0);
  });
});

describe('transition', () => {
  it('folds the active stretch into the totals and pauses at once', () => {
    const idle = transition(view(), 'IDLE', at(90), 'client_idle');
    expect(idle.status).toBe('IDLE');
    expect(idle.since).toBe(new Date(at(90)).toISOString());
    expect(idle.session).toMatchObject({ activeSeconds: 690, idleSeconds: 120 });
    expect(activeSecondsAt(idle, at(400))).toBe(690);
    const back = transition(idle, 'ACTIVE', at(400), 'activity');
    expect(back.session).toMatchObject({ activeSeconds: 690, idleSeconds: 430 });
    expect(activeSecondsAt(back, at(410))).toBe(700);
  });

  it('is a no-op for the same status', () => {
    const v = view();
    expect(transition(v, 'ACTIVE', at(50), 'activity')).toBe(v);
  });
});

describe('newer', () => {
  it('keeps the later status', () => {
    const a = view({ since: new Date(at(10)).toISOString(), status: 'IDLE' });
    const b = view({ since: new Date(at(5)).toISOString() });
    expect(newer(a, b)).toBe(a);
    expect(newer(b, a)).toBe(a);
  });
});

describe('formatDuration', () => {
  it('is HH:MM:SS', () => {
    expect(formatDuration(0)).toBe('00:00:00');
    expect(formatDuration(3723)).toBe('01:02:03');
    expect(formatDuration(100 * 3600 + 59)).toBe('100:00:59');
    expect(formatDuration(-5)).toBe('00:00:00');
  });
});
