import { Timer } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useNow } from '@/lib/useNow';
import { paths } from '@/paths';
import { useActivityMe } from '../api/activity';
import type { PresenceView } from '../api/keys';
import { activeSecondsAt, formatDuration } from '../clock';
import { StatusBadge } from './StatusBadge';

/**
 * In the top bar: the measured presence (badge), the active time of this work session
 * (HH:MM:SS, ticking only while ACTIVE) and, apart from them, the availability the agent
 * chose. Links to "O que é medido".
 */
export function PresenceHeader() {
  const { t } = useTranslation();
  const me = useActivityMe();
  if (!me.isSuccess) return null;
  const presence = me.data.presence;
  return (
    <div role="group" aria-label={t('presence.header.label')} className="flex items-center gap-2" data-testid="presence-header">
      <Link
        to={paths.settingsWhatIsMeasured}
        className="rounded-full focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-600"
        title={`${t(`presence.statusHint.${presence.status}`)} ${t('presence.header.whatIsMeasured')}`}
      >
        <StatusBadge status={presence.status} />
      </Link>
      <SessionTimer presence={presence} />
      <span
        className="hidden text-[11px] text-slate-500 lg:inline"
        title={t('presence.header.availabilityHint')}
        data-testid="presence-availability"
      >
        {t('presence.header.availability', { value: t(`availability.${presence.availability}`) })}
      </span>
    </div>
  );
}

function SessionTimer({ presence }: { presence: PresenceView }) {
  const { t } = useTranslation();
  const now = useNow(1_000);
  const seconds = activeSecondsAt(presence, now.getTime());
  const running = presence.status === 'ACTIVE';
  return (
    <span
      className="inline-flex items-center gap-1 font-mono text-[13px] tabular-nums text-slate-800"
      title={t('presence.header.timerHint')}
      data-testid="session-timer"
      data-running={running}
      data-seconds={seconds}
    >
      <Timer aria-hidden="true" className={running ? 'size-3.5 text-emerald-600' : 'size-3.5 text-slate-400'} />
      <span className="sr-only">{t('presence.header.timer')}: </span>
      <time dateTime={`PT${seconds}S`}>{formatDuration(seconds)}</time>
    </span>
  );
}
