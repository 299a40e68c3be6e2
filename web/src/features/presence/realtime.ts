import type { QueryClient } from '@tanstack/react-query';
import { onReconnect, onSocketEvent } from '@/lib/socket';
import { applyMyPresence } from './api/activity';
import { applySnapshot, applyStatusUpdate } from './api/board';
import { presenceKeys, type IdleWarning, type PresenceView, type ProductivitySettings } from './api/keys';
import { applyProductivitySettings } from './api/productivitySettings';
import { usePresenceUi } from './store';

// Until the generated SocketEvents carry the issue-10 events, they are listened to by
// name with the contract's payload types.
type Untyped = (event: string, handler: (payload: unknown) => void) => () => void;
const on = onSocketEvent as unknown as Untyped;

function isPresence(p: unknown): p is PresenceView {
  return typeof p === 'object' && p !== null && typeof (p as PresenceView).agentId === 'string' && typeof (p as PresenceView).status === 'string';
}

/**
 * `agent_status_update` → the board and my own presence; `presence_snapshot` → the
 * board; `productivity_settings_updated` → the settings (the idle timeout applies at
 * once); `idle_warning` → the auto-logout warning. `myId` is the signed-in user.
 */
export function registerPresenceRealtime(qc: QueryClient, myId: () => string | undefined): () => void {
  const offs = [
    on('agent_status_update', (payload) => {
      if (!isPresence(payload)) return;
      applyStatusUpdate(qc, payload);
      if (payload.agentId === myId()) {
        applyMyPresence(qc, payload);
        if (payload.status === 'ACTIVE') usePresenceUi.setState({ warning: null });
        usePresenceUi.getState().onMyStatus?.(payload);
      }
    }),
    on('presence_snapshot', (payload) => {
      const agents = (payload as { agents?: unknown } | null)?.agents;
      if (Array.isArray(agents)) applySnapshot(qc, agents.filter(isPresence));
    }),
    on('productivity_settings_updated', (payload) => {
      if (typeof payload === 'object' && payload !== null) applyProductivitySettings(qc, payload as ProductivitySettings);
    }),
    on('idle_warning', (payload) => {
      const logoutAt = (payload as Partial<IdleWarning> | null)?.logoutAt;
      if (typeof logoutAt === 'string') usePresenceUi.setState({ warning: { logoutAt } });
    }),
    onReconnect(() => {
      // Missed transitions of my own: ask again (the board gets a fresh snapshot on connect).
      void qc.invalidateQueries({ queryKey: presenceKeys.me() });
    }),
  ];
  return () => {
    for (const off of offs) off();
    usePresenceUi.setState({ warning: null });
  };
}
