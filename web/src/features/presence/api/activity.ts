import { queryOptions, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { call, http } from '@/lib/api';
import { transition } from '../clock';
import type { Signal } from '../tracker';
import { presenceKeys, type ActivityMe, type PresenceView } from './keys';

/** `GET /activity/me`: my presence, the productivity settings, whether I saw the notice. */
export function getActivityMe(signal?: AbortSignal): Promise<ActivityMe> {
  return call(http.GET('/api/v1/activity/me', { signal }));
}

export const activityMeQueryOptions = () =>
  queryOptions({
    queryKey: presenceKeys.me(),
    queryFn: ({ signal }) => getActivityMe(signal),
    // Kept current by the tracker's answers and the socket, never by polling.
    staleTime: Infinity,
    retry: false,
  });

export function useActivityMe() {
  return useQuery(activityMeQueryOptions());
}

/** `POST /activity/{heartbeat|idle|active}` → my presence. */
export function sendSignal(signal: Signal): Promise<PresenceView> {
  switch (signal) {
    case 'heartbeat':
      return call(http.POST('/api/v1/activity/heartbeat'));
    case 'idle':
      return call(http.POST('/api/v1/activity/idle'));
    case 'active':
      return call(http.POST('/api/v1/activity/active'));
  }
}

/** The cached `/activity/me`; `local` marks a presence the client computed itself. */
type CachedMe = ActivityMe & { local?: boolean };

/**
 * Puts the server's view of my presence into the cache. An older view never replaces
 * a newer one, except the client's own guess (`local`), which the server's next
 * word always replaces (its `since` is on the server's clock, the guess on ours).
 */
export function applyMyPresence(qc: QueryClient, presence: PresenceView): void {
  qc.setQueryData<CachedMe>(presenceKeys.me(), (me) => {
    if (me === undefined || me.presence.agentId !== presence.agentId) return me;
    if (me.local !== true && Date.parse(presence.since) < Date.parse(me.presence.since)) return me;
    return { ...me, presence, local: false };
  });
}

/** The client's own transition, shown at once (the server's answer replaces it). */
export function applyLocalTransition(qc: QueryClient, status: 'ACTIVE' | 'IDLE', reason: string): void {
  qc.setQueryData<CachedMe>(presenceKeys.me(), (me) =>
    me === undefined || me.presence.status === 'OFFLINE' || me.presence.status === status
      ? me
      : { ...me, presence: transition(me.presence, status, Date.now(), reason), local: true },
  );
}

/** `POST /activity/notice`: the agent has read what is measured. */
export function useAcknowledgeNotice() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      await call(http.POST('/api/v1/activity/notice'));
    },
    onSuccess: () => {
      qc.setQueryData<ActivityMe>(presenceKeys.me(), (me) => (me === undefined ? me : { ...me, noticeAcknowledged: true }));
    },
  });
}

/** "Continuar ativo" in the auto-logout warning. */
export function useStayActive() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => sendSignal('active'),
    onSuccess: (presence) => {
      applyMyPresence(qc, presence);
    },
  });
}
