import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { type ITimers, useIdleTimer } from 'react-idle-timer';
import { useSession } from '@/features/auth';
import { isApiError } from '@/lib/api';
import { applyLocalTransition, applyMyPresence, sendSignal, useActivityMe } from '../api/activity';
import { presenceKeys } from '../api/keys';
import { usePresenceUi } from '../store';
import { createWorkerTimers } from '@/lib/workerTimers';
import { ActivityTracker, type TabMessage } from '../tracker';

const DEFAULT_IDLE_MINUTES = 10;

// Worker timers keep counting in a background tab (browsers slow down main-thread
// timers there); the test environment has no workers. One worker for the page's
// lifetime, started by the first tracker (not on import).
let shared: { timers: ITimers | undefined } | null = null;
function workerTimers(): ITimers | undefined {
  shared ??= { timers: import.meta.env.MODE === 'test' ? undefined : createWorkerTimers() };
  return shared.timers;
}

function isTabMessage(data: unknown): data is TabMessage {
  const type = (data as { type?: unknown } | null)?.type;
  return type === 'hidden' || type === 'engaged';
}

/**
 * Measures activity inside Atende only: mouse, keys, clicks, scroll and touch on this
 * app's pages (throttled, synced across tabs by react-idle-timer) and whether the tab
 * is visible. Sends heartbeats and idle/active transitions; renders nothing.
 */
export function PresenceTracker() {
  const qc = useQueryClient();
  const me = useActivityMe();
  const ready = me.isSuccess;
  const idleMinutes = me.data?.settings.idleTimeoutMinutes ?? DEFAULT_IDLE_MINUTES;
  const tracker = useRef<ActivityTracker | null>(null);
  const [timers] = useState(workerTimers);

  const idleTimer = useIdleTimer({
    timeout: Math.max(1, idleMinutes) * 60_000,
    eventsThrottle: 500,
    crossTab: true,
    syncTimers: 1_000,
    name: 'atende-activity',
    ...(timers === undefined ? {} : { timers }),
    onIdle: () => tracker.current?.setIdle(true),
    onActive: () => tracker.current?.setIdle(false),
    onMessage: (data: unknown) => {
      if (isTabMessage(data)) tracker.current?.onMessage(data);
    },
  });
  const idleTimerRef = useRef(idleTimer);
  useEffect(() => {
    idleTimerRef.current = idleTimer;
  });

  useEffect(() => {
    if (!ready) return;
    const t = new ActivityTracker({
      send: (signal) => {
        if (signal === 'idle') applyLocalTransition(qc, 'IDLE', 'client_idle');
        if (signal === 'active') {
          applyLocalTransition(qc, 'ACTIVE', 'activity');
          usePresenceUi.setState({ warning: null });
        }
        sendSignal(signal).then(
          (presence) => {
            applyMyPresence(qc, presence);
            // Only a heartbeat's answer can reveal that the server lost track of us; reacting
            // to the answer of `active` itself could loop.
            if (signal === 'heartbeat') t.serverSaid(presence.status);
          },
          (err: unknown) => {
            // The session ended (auto-logout, revoked): back to the sign-in page.
            if (isApiError(err) && err.status === 401 && useSession.getState().status === 'authenticated') {
              qc.removeQueries({ queryKey: presenceKeys.all });
              useSession.getState().reset();
            }
          },
        );
      },
      broadcast: (message) => {
        idleTimerRef.current.message(message, false);
      },
    });
    tracker.current = t;
    usePresenceUi.setState({ onMyStatus: (view) => { t.serverSaid(view.status); } });
    t.start({ idle: idleTimerRef.current.isIdle(), hidden: document.visibilityState === 'hidden' });
    const onVisibility = () => {
      t.setHidden(document.visibilityState === 'hidden');
    };
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      document.removeEventListener('visibilitychange', onVisibility);
      t.stop();
      tracker.current = null;
      usePresenceUi.setState({ onMyStatus: null });
    };
  }, [ready, qc]);

  return null;
}
