import { CalendarClock, ChevronDown, ChevronRight } from 'lucide-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { Select } from '@/components/ui/Select';
import { Skeleton } from '@/components/ui/Skeleton';
import { errorMessage } from '@/lib/errorMessage';
import { formatDateTime, formatTime } from '@/lib/format';
import { paths } from '@/paths';
import type { WorkSession } from '../api/keys';
import { useSessions } from '../api/sessions';
import { RANGES, rangeBounds, type Range } from '../ranges';
import { formatDuration } from '../clock';

/** Settings → Minha atividade: my work sessions and their idle periods. */
export function MyActivityPage() {
  const { t } = useTranslation();
  const [range, setRange] = useState<Range>('7d');
  const today = new Date().toDateString();
  // eslint-disable-next-line react-hooks/exhaustive-deps -- recomputed when the day changes, not every render
  const bounds = useMemo(() => rangeBounds(range, new Date()), [range, today]);
  const sessions = useSessions(bounds);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 className="text-[15px] font-semibold text-slate-900">{t('presence.sessions.title')}</h2>
          <p className="text-[13px] text-slate-600">{t('presence.sessions.subtitle')}</p>
          <Link
            to={paths.settingsWhatIsMeasured}
            className="text-[13px] font-medium text-brand-700 underline underline-offset-2 hover:text-brand-800"
          >
            {t('presence.sessions.whatIsMeasured')}
          </Link>
        </div>
        <label className="flex items-center gap-2 text-[13px] text-slate-700">
          {t('presence.sessions.range')}
          <Select
            value={range}
            onChange={(e) => {
              setRange(e.target.value as Range);
            }}
            className="w-44"
          >
            {RANGES.map((r) => (
              <option key={r} value={r}>
                {t(`presence.sessions.ranges.${r}`)}
              </option>
            ))}
          </Select>
        </label>
      </div>
      {sessions.isError ? (
        <div className="space-y-2">
          <Alert>{errorMessage(sessions.error, t)}</Alert>
          <Button variant="secondary" size="sm" onClick={() => void sessions.refetch()}>
            {t('common.retry')}
          </Button>
        </div>
      ) : sessions.isPending ? (
        <div role="status" className="space-y-2">
          <span className="sr-only">{t('common.loading')}</span>
          <Skeleton className="h-10 w-full" />
          <Skeleton className="h-10 w-full" />
        </div>
      ) : sessions.data.length === 0 ? (
        <EmptyState icon={CalendarClock} title={t('presence.sessions.empty')} />
      ) : (
        <SessionsTable sessions={sessions.data} />
      )}
    </div>
  );
}

function SessionsTable({ sessions }: { sessions: WorkSession[] }) {
  const { t } = useTranslation();
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-[13px]">
        <thead className="border-b border-slate-200 bg-slate-50 text-[11px] uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              {t('presence.sessions.columns.login')}
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              {t('presence.sessions.columns.logout')}
            </th>
            <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">
              {t('presence.sessions.columns.end')}
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              {t('presence.sessions.columns.total')}
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              {t('presence.sessions.columns.active')}
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              {t('presence.sessions.columns.idle')}
            </th>
          </tr>
        </thead>
        {sessions.map((s) => (
          <SessionRows key={s.id} session={s} />
        ))}
      </table>
    </div>
  );
}

function SessionRows({ session: s }: { session: WorkSession }) {
  const { t, i18n } = useTranslation();
  const [open, setOpen] = useState(false);
  const periods = s.idlePeriods;
  const lng = i18n.language;
  return (
    <tbody className="border-b border-slate-100 last:border-b-0" data-testid="session-row">
      <tr>
        <td className="whitespace-nowrap px-3 py-2 tabular-nums">{formatDateTime(s.loginAt, lng)}</td>
        <td className="whitespace-nowrap px-3 py-2 tabular-nums">
          {s.logoutAt == null ? <span className="font-medium text-emerald-700">{t('presence.sessions.open')}</span> : formatDateTime(s.logoutAt, lng)}
        </td>
        <td className="hidden px-3 py-2 text-slate-600 md:table-cell">{s.endReason == null ? '—' : t(`presence.sessions.endReason.${s.endReason}`)}</td>
        <td className="px-3 py-2 text-right font-mono tabular-nums">{formatDuration(s.totalSeconds)}</td>
        <td className="px-3 py-2 text-right font-mono tabular-nums text-emerald-800">{formatDuration(s.activeSeconds)}</td>
        <td className="px-3 py-2 text-right font-mono tabular-nums text-amber-800">{formatDuration(s.idleSeconds)}</td>
      </tr>
      <tr>
        <td colSpan={6} className="px-3 pb-2">
          {periods.length === 0 ? (
            <span className="text-[12px] text-slate-500">{t('presence.sessions.idlePeriodsNone')}</span>
          ) : (
            <>
              <button
                type="button"
                aria-expanded={open}
                onClick={() => {
                  setOpen((o) => !o);
                }}
                className="inline-flex items-center gap-1 rounded text-[12px] font-medium text-slate-600 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600"
              >
                {open ? <ChevronDown aria-hidden="true" className="size-3.5" /> : <ChevronRight aria-hidden="true" className="size-3.5" />}
                {t('presence.sessions.idlePeriods', { count: periods.length })}
                <span className="sr-only"> — {open ? t('presence.sessions.hideIdle') : t('presence.sessions.showIdle')}</span>
              </button>
              {open && (
                <ul className="mt-1 space-y-0.5 pl-5 text-[12px] text-slate-600" data-testid="idle-periods">
                  {periods.map((p) => (
                    <li key={p.startedAt} className="tabular-nums">
                      {p.endedAt == null
                        ? t('presence.sessions.idleOngoing', { from: formatTime(p.startedAt, lng) })
                        : t('presence.sessions.idleFrom', { from: formatTime(p.startedAt, lng), to: formatTime(p.endedAt, lng) })}{' '}
                      · <span className="font-mono">{formatDuration(p.seconds)}</span> · {t(`presence.sessions.source.${p.source}`)}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </td>
      </tr>
    </tbody>
  );
}
