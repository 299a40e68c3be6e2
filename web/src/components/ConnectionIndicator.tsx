import { useTranslation } from 'react-i18next';
import { cn } from '@/lib/cn';
import { useConnection, type ConnectionStatus } from '@/lib/socket';

const DOT: Record<ConnectionStatus, string> = {
  idle: 'bg-slate-400',
  connecting: 'bg-amber-500 animate-pulse',
  connected: 'bg-emerald-500',
  reconnecting: 'bg-amber-500 animate-pulse',
  offline: 'bg-red-500',
};

/**
 * The realtime link at a glance: a green dot when live; amber "Reconnecting…" or red
 * "Offline" in words when updates may be late. Announced politely when it changes.
 */
export function ConnectionIndicator() {
  const { t } = useTranslation();
  const status = useConnection((s) => s.status);
  const label = t(`realtime.status.${status}`);
  const quiet = status === 'connected' || status === 'idle';
  return (
    <span
      role="status"
      aria-live="polite"
      data-testid="connection-status"
      data-status={status}
      title={t(`realtime.hint.${status}`)}
      className={cn(
        'inline-flex items-center gap-1.5 rounded-full px-2 py-0.5 text-[11px] font-medium',
        quiet ? 'text-slate-500' : status === 'offline' ? 'bg-red-50 text-red-800' : 'bg-amber-50 text-amber-800',
      )}
    >
      <span aria-hidden="true" className={cn('size-2 rounded-full', DOT[status])} />
      <span className={quiet ? 'sr-only' : undefined}>{label}</span>
    </span>
  );
}
