import type { PresenceStatus } from './api/keys';

/** What the tracker tells the server: `POST /activity/{heartbeat|idle|active}`. */
export type Signal = 'heartbeat' | 'idle' | 'active';

/** What tabs of the same browser tell each other (through the idle timer's cross-tab channel). */
export type TabMessage = { type: 'hidden' } | { type: 'engaged' };

export interface TrackerOptions {
  send: (signal: Signal) => void;
  broadcast: (message: TabMessage) => void;
  /** Heartbeat period while engaged. */
  heartbeatMs?: number;
  /**
   * How long a tab that was hidden waits before reporting idle, so switching between
   * two Atende tabs (or a glance at another window) does not record an idle period.
   */
  hiddenGraceMs?: number;
}

export const HEARTBEAT_MS = 30_000;
export const HIDDEN_GRACE_MS = 3_000;

/**
 * The client half of presence, free of React and the DOM so it can be tested with
 * fake timers. Inputs: the idle timer's verdict (shared by all tabs), this tab's
 * visibility, messages from the other tabs, and what the server says. Output: the
 * signals to send.
 *
 * A tab is *engaged* when the user is not idle and the tab is visible. An engaged tab
 * sends `active` when it becomes engaged. A visible tab whose user goes idle sends
 * `idle` at once; a tab that is hidden sends `idle` after a short grace unless another
 * tab answers that it is engaged. Active time counts on the server only between
 * `active` and `idle`.
 *
 * Heartbeats say "the browser is still open" (the server closes the work session
 * after the offline timeout without them, and marks the agent idle if they stop while
 * active): every 30 s from an engaged tab, which also tells the other tabs it is there;
 * from a tab that is not engaged only when no other tab was engaged lately (one
 * keep-alive per browser is enough, and the server does not end a client idle on a
 * heartbeat).
 */
export class ActivityTracker {
  private readonly send: (signal: Signal) => void;
  private readonly broadcast: (message: TabMessage) => void;
  private readonly heartbeatMs: number;
  private readonly hiddenGraceMs: number;
  private idle = false;
  private hidden = false;
  private running = false;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private pendingIdle: ReturnType<typeof setTimeout> | null = null;
  /** When another tab last said it was engaged (`Date.now()`), or never. */
  private peerEngagedAt = Number.NEGATIVE_INFINITY;

  constructor(options: TrackerOptions) {
    this.send = options.send;
    this.broadcast = options.broadcast;
    this.heartbeatMs = options.heartbeatMs ?? HEARTBEAT_MS;
    this.hiddenGraceMs = options.hiddenGraceMs ?? HIDDEN_GRACE_MS;
  }

  get engaged(): boolean {
    return !this.idle && !this.hidden;
  }

  /** Begins tracking (page load, sign-in): an engaged tab says so, so a reload never leaves an idle period. */
  start(state: { idle: boolean; hidden: boolean }): void {
    if (this.running) return;
    this.running = true;
    this.idle = state.idle;
    this.hidden = state.hidden;
    this.startHeartbeat();
    if (this.engaged) {
      this.becameEngaged();
    } else if (this.hidden) {
      this.broadcast({ type: 'hidden' });
      this.scheduleHiddenIdle();
    } else {
      this.sendIdle();
    }
  }

  /** Stops every timer and sends nothing more (sign-out, unmount). */
  stop(): void {
    this.running = false;
    this.stopHeartbeat();
    this.cancelHiddenIdle();
  }

  /** The idle timer's verdict (the same in every tab). */
  setIdle(idle: boolean): void {
    if (!this.running || idle === this.idle) return;
    const was = this.engaged;
    this.idle = idle;
    if (this.engaged) {
      this.becameEngaged();
    } else if (was) {
      this.sendIdle();
    }
  }

  /** This tab's visibility (Page Visibility API). */
  setHidden(hidden: boolean): void {
    if (!this.running || hidden === this.hidden) return;
    const was = this.engaged;
    this.hidden = hidden;
    if (hidden) this.broadcast({ type: 'hidden' });
    if (this.engaged) {
      this.becameEngaged();
    } else if (was) {
      this.scheduleHiddenIdle();
    }
  }

  /** A message from another tab. */
  onMessage(message: TabMessage): void {
    if (!this.running) return;
    if (message.type === 'hidden' && this.engaged) {
      // Another tab was put away, but the user is here: keep the session active.
      this.broadcast({ type: 'engaged' });
    } else if (message.type === 'engaged') {
      this.peerEngagedAt = Date.now();
      this.cancelHiddenIdle();
    }
  }

  /**
   * The server's view of this agent (a heartbeat's answer or a socket update). If it
   * thinks the agent idle or offline (heartbeats lost on a bad network) while the user
   * is here, say so again; if it thinks the agent active while nobody is here in any
   * tab (a heartbeat ended an idle it had assumed), say idle.
   */
  serverSaid(status: PresenceStatus): void {
    if (!this.running) return;
    if (this.engaged && status !== 'ACTIVE') {
      this.send('active');
    } else if (!this.engaged && status === 'ACTIVE' && this.pendingIdle === null && !this.peerEngagedLately()) {
      this.send('idle');
    }
  }

  private peerEngagedLately(): boolean {
    return Date.now() - this.peerEngagedAt < this.heartbeatMs * 1.5;
  }

  private becameEngaged(): void {
    this.cancelHiddenIdle();
    this.send('active');
    this.broadcast({ type: 'engaged' });
  }

  private sendIdle(): void {
    this.cancelHiddenIdle();
    this.send('idle');
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => {
      if (this.engaged) {
        this.send('heartbeat');
        this.broadcast({ type: 'engaged' });
      } else if (!this.peerEngagedLately()) {
        this.send('heartbeat');
      }
    }, this.heartbeatMs);
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }

  private scheduleHiddenIdle(): void {
    this.cancelHiddenIdle();
    this.pendingIdle = setTimeout(() => {
      this.pendingIdle = null;
      if (this.running && !this.engaged) this.send('idle');
    }, this.hiddenGraceMs);
  }

  private cancelHiddenIdle(): void {
    if (this.pendingIdle !== null) clearTimeout(this.pendingIdle);
    this.pendingIdle = null;
  }
}
