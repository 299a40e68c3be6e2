import type { QueryClient } from '@tanstack/react-query';
import { onReconnect, onSocketEvent } from '@/lib/socket';
import { applyMyPresence } from './api/activity';
import { applySnapshot, applyStatusUpdate } from './api/board';
import { presenceKeys } from './api/keys';
import { applyProductivitySettings } from './api/productivitySettings';
import { usePresenceUi } from './store';

/**
 * `agent_status_update` → the board and my own presence; `presence_snapshot` → the
 * board; `productivity_settings_updated` → the settings (the idle timeout applies at
 * once); `idle_warning` → the auto-logout warning. `myId` is the signed-in user.
 */
export function registerPresenceRealtime(qc: QueryClient, myId: () => string | undefined): () => void {
  const offs = [
    onSocketEvent('agent_status_update', (view) => {
      applyStatusUpdate(qc, view);
      if (view.agentId === myId()) {
        applyMyPresence(qc, view);
        if (view.status === 'ACTIVE') usePresenceUi.setState({ warning: null });
        usePresenceUi.getState().onMyStatus?.(view);
      }
    }),
    onSocketEvent('presence_snapshot', ({ agents }) => {
      applySnapshot(qc, agents);
    }),
    onSocketEvent('productivity_settings_updated', (settings) => {
      applyProductivitySettings(qc, settings);
    }),
    onSocketEvent('idle_warning', ({ logoutAt }) => {
      usePresenceUi.setState({ warning: { logoutAt } });
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
