import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ActivityTracker, HEARTBEAT_MS, HIDDEN_GRACE_MS, type Signal, type TabMessage } from './tracker';

function setup() {
  const sent: Signal[] = [];
  const told: TabMessage[] = [];
  const tracker = new ActivityTracker({
    send: (s) => sent.push(s),
    broadcast: (m) => told.push(m),
  });
  return { tracker, sent, told };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ActivityTracker', () => {
  it('says active on start and sends a heartbeat every 30 s while engaged', () => {
    const { tracker, sent } = setup();
    tracker.start({ idle: false, hidden: false });
    expect(sent).toEqual(['active']);
    vi.advanceTimersByTime(HEARTBEAT_MS - 1);
    expect(sent).toEqual(['active']);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual(['active', 'heartbeat']);
    vi.advanceTimersByTime(HEARTBEAT_MS * 3);
    expect(sent.filter((s) => s === 'heartbeat')).toHaveLength(4);
  });

  it('goes idle at once when the idle timer says so, and comes back on activity', () => {
    const { tracker, sent } = setup();
    tracker.start({ idle: false, hidden: false });
    vi.advanceTimersByTime(10_000);
    tracker.setIdle(true);
    expect(sent).toEqual(['active', 'idle']);
    tracker.setIdle(false);
    expect(sent).toEqual(['active', 'idle', 'active']);
  });

  it('keeps the heartbeats going while idle (the browser is still open), so the session is not closed', () => {
    const { tracker, sent, told } = setup();
    tracker.start({ idle: false, hidden: false });
    tracker.setIdle(true);
    vi.advanceTimersByTime(HEARTBEAT_MS * 3);
    expect(sent).toEqual(['active', 'idle', 'heartbeat', 'heartbeat', 'heartbeat']);
    // Only an engaged tab tells the others it is there.
    expect(told).toEqual([{ type: 'engaged' }]);
  });

  it('a tab that is not engaged leaves the heartbeats to an engaged one', () => {
    const { tracker, sent } = setup();
    tracker.start({ idle: false, hidden: true });
    vi.advanceTimersByTime(HIDDEN_GRACE_MS);
    expect(sent).toEqual(['idle']);
    tracker.onMessage({ type: 'engaged' });
    vi.advanceTimersByTime(HEARTBEAT_MS);
    expect(sent).toEqual(['idle']);
    // The other tab went quiet (closed): this one keeps the session alive.
    vi.advanceTimersByTime(HEARTBEAT_MS * 2);
    expect(sent).toContain('heartbeat');
  });

  it('ignores repeated verdicts (no duplicate transitions)', () => {
    const { tracker, sent } = setup();
    tracker.start({ idle: false, hidden: false });
    tracker.setIdle(false);
    tracker.setIdle(true);
    tracker.setIdle(true);
    expect(sent).toEqual(['active', 'idle']);
  });

  it('reports a hidden tab idle after the grace, not for a quick glance away', () => {
    const { tracker, sent, told } = setup();
    tracker.start({ idle: false, hidden: false });
    tracker.setHidden(true);
    expect(told).toContainEqual({ type: 'hidden' });
    vi.advanceTimersByTime(HIDDEN_GRACE_MS - 1);
    tracker.setHidden(false);
    vi.advanceTimersByTime(HIDDEN_GRACE_MS * 2);
    expect(sent).not.toContain('idle');

    tracker.setHidden(true);
    vi.advanceTimersByTime(HIDDEN_GRACE_MS);
    expect(sent.at(-1)).toBe('idle');
    tracker.setHidden(false);
    expect(sent.at(-1)).toBe('active');
  });

  it('does not go idle when another tab answers that the user is there', () => {
    const a = setup();
    const b = setup();
    a.tracker.start({ idle: false, hidden: false });
    b.tracker.start({ idle: false, hidden: true });
    // b broadcast 'hidden' on start; a (engaged) answers 'engaged'.
    a.tracker.onMessage({ type: 'hidden' });
    expect(a.told.at(-1)).toEqual({ type: 'engaged' });
    b.tracker.onMessage({ type: 'engaged' });
    vi.advanceTimersByTime(HIDDEN_GRACE_MS * 2);
    expect(b.sent).toEqual([]);
    // A hidden tab does not answer for others.
    b.tracker.onMessage({ type: 'hidden' });
    expect(b.told).toEqual([{ type: 'hidden' }]);
  });

  it('a tab loaded hidden reports idle after the grace; a tab loaded idle at once', () => {
    const hidden = setup();
    hidden.tracker.start({ idle: false, hidden: true });
    expect(hidden.sent).toEqual([]);
    vi.advanceTimersByTime(HIDDEN_GRACE_MS);
    expect(hidden.sent).toEqual(['idle']);
    const idle = setup();
    idle.tracker.start({ idle: true, hidden: false });
    expect(idle.sent).toEqual(['idle']);
  });

  it('the idle verdict in a hidden tab sends nothing more (the hidden tab already did)', () => {
    const { tracker, sent } = setup();
    tracker.start({ idle: false, hidden: true });
    vi.advanceTimersByTime(HIDDEN_GRACE_MS);
    tracker.setIdle(true);
    tracker.setIdle(false);
    expect(sent).toEqual(['idle']);
  });

  it('says active again when the server thinks the engaged user idle', () => {
    const { tracker, sent } = setup();
    tracker.start({ idle: false, hidden: false });
    tracker.serverSaid('ACTIVE');
    tracker.serverSaid('IDLE');
    expect(sent).toEqual(['active', 'active']);
    tracker.setIdle(true);
    tracker.serverSaid('IDLE');
    expect(sent).toEqual(['active', 'active', 'idle']);
  });

  it('says idle again when the server thinks the user active but no tab is engaged', () => {
    const { tracker, sent } = setup();
    tracker.start({ idle: true, hidden: false });
    expect(sent).toEqual(['idle']);
    // A heartbeat ended an idle the server had assumed (signals were lost for a while).
    tracker.serverSaid('ACTIVE');
    expect(sent).toEqual(['idle', 'idle']);
    // …unless another tab is in use: then ACTIVE is right.
    tracker.onMessage({ type: 'engaged' });
    tracker.serverSaid('ACTIVE');
    expect(sent).toEqual(['idle', 'idle']);
  });

  it('sends nothing after stop', () => {
    const { tracker, sent } = setup();
    tracker.start({ idle: false, hidden: false });
    tracker.setHidden(true);
    tracker.stop();
    vi.advanceTimersByTime(HEARTBEAT_MS * 3);
    tracker.setIdle(true);
    tracker.serverSaid('IDLE');
    expect(sent).toEqual(['active']);
  });
});
