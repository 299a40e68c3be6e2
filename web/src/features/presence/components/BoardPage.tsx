import { Radio, UsersRound } from 'lucide-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { Select } from '@/components/ui/Select';
import { Skeleton } from '@/components/ui/Skeleton';
import { useTeams } from '@/features/teams';
import { cn } from '@/lib/cn';
import { errorMessage } from '@/lib/errorMessage';
import { usePageTitle } from '@/lib/pageTitle';
import { useConnection } from '@/lib/socket';
import { useNow } from '@/lib/useNow';
import { useBoard } from '../api/board';
import type { PresenceStatus, PresenceView } from '../api/keys';
import { activeSecondsAt, formatDuration, secondsInStatus } from '../clock';
import { StatusBadge } from './StatusBadge';

const KPI: { status: PresenceStatus; key: 'online' | 'idle' | 'offline'; tone: string }[] = [
  { status: 'ACTIVE', key: 'online', tone: 'border-l-emerald-500' },
  { status: 'IDLE', key: 'idle', tone: 'border-l-amber-500' },
  { status: 'OFFLINE', key: 'offline', tone: 'border-l-slate-400' },
];

/**
 * /dashboard (managers and admins): the supervised agents' presence, live. Loaded once
 * from `GET /activity/board`, then kept current by `presence_snapshot` and
 * `agent_status_update` only; the durations tick on the client.
 */
export function BoardPage() {
  const { t, i18n } = useTranslation();
  usePageTitle(`${t('presence.board.title')} · ${t('app.name')}`);
  const board = useBoard();
  const teams = useTeams();
  const live = useConnection((s) => s.status) === 'connected';
  const [params, setParams] = useSearchParams();
  const teamId = params.get('team') ?? '';

  const teamOptions = useMemo(() => {
    const present = new Set((board.data ?? []).flatMap((a) => a.teamIds));
    return (teams.data ?? []).filter((team) => present.has(team.id)).sort((a, b) => a.name.localeCompare(b.name, i18n.language));
  }, [board.data, teams.data, i18n.language]);

  const agents = useMemo(() => {
    const all = board.data ?? [];
    const shown = teamId === '' ? all : all.filter((a) => a.teamIds.includes(teamId));
    return [...shown].sort((a, b) => a.name.localeCompare(b.name, i18n.language));
  }, [board.data, teamId, i18n.language]);

  const counts = useMemo(() => {
    const c: Record<PresenceStatus, number> = { ACTIVE: 0, IDLE: 0, OFFLINE: 0 };
    for (const a of agents) c[a.status] += 1;
    return c;
  }, [agents]);

  return (
    <div className="mx-auto w-full max-w-6xl space-y-4 p-4 sm:p-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-base font-semibold text-slate-900">{t('presence.board.title')}</h1>
          <p className="text-[13px] text-slate-600">{t('presence.board.subtitle')}</p>
        </div>
        <div className="flex items-center gap-3">
          <span
            className={cn('inline-flex items-center gap-1.5 text-[12px] font-medium', live ? 'text-emerald-700' : 'text-amber-800')}
            data-testid="board-live"
            data-live={live}
          >
            <Radio aria-hidden="true" className={cn('size-3.5', live && 'animate-pulse')} />
            {live ? t('presence.board.live') : t('presence.board.waiting')}
          </span>
          <label className="flex items-center gap-2 text-[13px] text-slate-700">
            {t('presence.board.team')}
            <Select
              value={teamId}
              onChange={(e) => {
                const next = new URLSearchParams(params);
                if (e.target.value === '') next.delete('team');
                else next.set('team', e.target.value);
                setParams(next, { replace: true });
              }}
              className="w-48"
            >
              <option value="">{t('presence.board.allTeams')}</option>
              {teamOptions.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </Select>
          </label>
        </div>
      </div>

      <ul className="grid grid-cols-3 gap-3" aria-label={t('presence.board.title')}>
        {KPI.map(({ status, key, tone }) => (
          <li key={key} className={cn('rounded-lg border border-l-4 border-slate-200 bg-white px-4 py-3', tone)} data-testid={`kpi-${key}`}>
            <p className="text-[12px] font-medium text-slate-600">{t(`presence.board.kpis.${key}`)}</p>
            <p className="mt-1 text-2xl font-semibold tabular-nums text-slate-900">{board.isSuccess ? counts[status] : '–'}</p>
          </li>
        ))}
      </ul>

      {board.isError ? (
        <div className="space-y-2">
          <Alert>{errorMessage(board.error, t)}</Alert>
          <Button variant="secondary" size="sm" onClick={() => void board.refetch()}>
            {t('common.retry')}
          </Button>
        </div>
      ) : board.isPending ? (
        <div role="status" className="space-y-2">
          <span className="sr-only">{t('common.loading')}</span>
          <Skeleton className="h-10 w-full" />
          <Skeleton className="h-10 w-full" />
          <Skeleton className="h-10 w-full" />
        </div>
      ) : agents.length === 0 ? (
        <EmptyState icon={UsersRound} title={teamId === '' ? t('presence.board.empty') : t('presence.board.emptyTeam')} />
      ) : (
        <AgentsTable agents={agents} />
      )}
    </div>
  );
}

function AgentsTable({ agents }: { agents: PresenceView[] }) {
  const { t } = useTranslation();
  const now = useNow(1_000).getTime();
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-[13px]" aria-label={t('presence.board.tableLabel')}>
        <thead className="border-b border-slate-200 bg-slate-50 text-[11px] uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-3 py-2 font-medium">
              {t('presence.board.columns.agent')}
            </th>
            <th scope="col" className="px-3 py-2 font-medium">
              {t('presence.board.columns.status')}
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              {t('presence.board.columns.inStatus')}
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium">
              {t('presence.board.columns.active')}
            </th>
            <th scope="col" className="hidden px-3 py-2 font-medium sm:table-cell">
              {t('presence.board.columns.availability')}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {agents.map((a) => (
            <tr key={a.agentId} data-testid="board-row" data-agent={a.agentId}>
              <th scope="row" className="px-3 py-2 font-medium text-slate-900">
                {a.name}
              </th>
              <td className="px-3 py-2">
                <StatusBadge status={a.status} title={t(`presence.statusHint.${a.status}`)} />
              </td>
              <td className="px-3 py-2 text-right font-mono tabular-nums text-slate-700" data-testid="in-status">
                {formatDuration(secondsInStatus(a, now))}
              </td>
              <td className="px-3 py-2 text-right font-mono tabular-nums text-slate-900" data-testid="active-time">
                {(a.session ?? null) === null ? '—' : formatDuration(activeSecondsAt(a, now))}
              </td>
              <td className="hidden px-3 py-2 text-slate-600 sm:table-cell">{t(`availability.${a.availability}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
