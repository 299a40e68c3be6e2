import { create } from 'zustand';
import type { IdleWarning, PresenceView } from './api/keys';

interface PresenceUi {
  /** The server's `idle_warning`: auto-logout at `logoutAt` unless the agent comes back. */
  warning: IdleWarning | null;
  /** Set by the tracker: tells it what the server said about me (socket or answer). */
  onMyStatus: ((view: PresenceView) => void) | null;
}

export const usePresenceUi = create<PresenceUi>()(() => ({ warning: null, onMyStatus: null }));
