import { useTranslation } from 'react-i18next';
import { cn } from '@/lib/cn';
import type { PresenceStatus } from '../api/keys';

const TONE: Record<PresenceStatus, { badge: string; dot: string }> = {
  ACTIVE: { badge: 'bg-emerald-50 text-emerald-800 ring-emerald-200', dot: 'bg-emerald-500' },
  IDLE: { badge: 'bg-amber-50 text-amber-900 ring-amber-300', dot: 'bg-amber-500' },
  OFFLINE: { badge: 'bg-slate-100 text-slate-700 ring-slate-200', dot: 'bg-slate-400' },
};

/** Green "Ativo", amber "Ocioso", grey "Offline": colour and words, never colour alone. */
export function StatusBadge({ status, className, title }: { status: PresenceStatus; className?: string; title?: string }) {
  const { t } = useTranslation();
  const tone = TONE[status];
  return (
    <span
      data-testid="presence-status"
      data-status={status}
      title={title}
      className={cn(
        'inline-flex items-center gap-1.5 whitespace-nowrap rounded-full px-2 py-0.5 text-[11px] font-semibold ring-1 ring-inset',
        tone.badge,
        className,
      )}
    >
      <span aria-hidden="true" className={cn('size-2 rounded-full', tone.dot)} />
      {t(`presence.status.${status}`)}
    </span>
  );
}
