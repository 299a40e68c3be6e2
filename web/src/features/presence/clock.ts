import type { PresenceView } from './api/keys';

/** Seconds between two instants, never negative (a client clock behind the server's). */
function secondsBetween(fromIso: string, now: number): number {
  const from = Date.parse(fromIso);
  if (Number.isNaN(from)) return 0;
  return Math.max(0, Math.floor((now - from) / 1000));
}

/** How long the agent has been in the current status. */
export function secondsInStatus(p: Pick<PresenceView, 'since'>, now: number): number {
  return secondsBetween(p.since, now);
}

/**
 * Active seconds of the current work session at `now`: the server's total up to
 * `since`, plus the time since then only while ACTIVE. So the timer ticks without
 * polling, stops while IDLE/OFFLINE, and a reload starts from the server's numbers.
 */
export function activeSecondsAt(p: Pick<PresenceView, 'status' | 'since' | 'session'>, now: number): number {
  const session = p.session ?? null;
  if (session === null) return 0;
  return session.activeSeconds + (p.status === 'ACTIVE' ? secondsBetween(p.since, now) : 0);
}

/** "01:02:03"; hours go past 99 rather than wrap. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
}

/**
 * The presence as it is the moment the client itself changes status (before the
 * server answers): the elapsed active time is folded into the totals and the new
 * status starts now, so the header timer stops or resumes at once.
 */
export function transition(p: PresenceView, status: 'ACTIVE' | 'IDLE', now: number, reason: string): PresenceView {
  if (p.status === status) return p;
  const elapsed = secondsBetween(p.since, now);
  const current = p.session ?? null;
  const session =
    current === null
      ? null
      : {
          ...current,
          activeSeconds: current.activeSeconds + (p.status === 'ACTIVE' ? elapsed : 0),
          idleSeconds: current.idleSeconds + (p.status === 'IDLE' ? elapsed : 0),
        };
  return { ...p, status, since: new Date(now).toISOString(), reason, session };
}

/** Which of two views of the same agent is newer (the later `since` wins; ties go to `b`). */
export function newer(a: PresenceView, b: PresenceView): PresenceView {
  return Date.parse(a.since) > Date.parse(b.since) ? a : b;
}
