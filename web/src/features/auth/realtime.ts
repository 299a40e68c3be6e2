import type { QueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { i18n } from '@/lib/i18n';
import { onSocketEvent } from '@/lib/socket';
import { useSession } from './hooks/useSession';

/**
 * `force_logout`: the server ended this session (auto-logout after idling, logout in
 * another tab, deactivation, suspension). Forget it at once and say why; RequireAuth
 * then shows the sign-in page. (The server disconnects the socket right after.)
 */
export function registerAuthRealtime(qc: QueryClient): () => void {
  return onSocketEvent('force_logout', (payload) => {
    if (useSession.getState().status !== 'authenticated') return;
    const reason = payload.reason;
    toast.warning(i18n.t(`auth.forcedOut.${reason}`), { id: 'force-logout', duration: 15_000 });
    useSession.getState().signOut();
    qc.clear();
  });
}
