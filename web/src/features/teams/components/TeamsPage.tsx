import { Pencil, Plus, Trash2, UsersRound } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { EmptyState } from '@/components/ui/EmptyState';
import { Skeleton } from '@/components/ui/Skeleton';
import { useRole } from '@/features/auth';
import { cn } from '@/lib/cn';
import { errorMessage } from '@/lib/errorMessage';
import { useDeleteTeam } from '../api/deleteTeam';
import type { TeamView } from '../api/keys';
import { useTeams } from '../api/listTeams';
import { TeamDialog } from './TeamDialog';
import { TeamMembers } from './TeamMembers';

/** Settings → Teams: the list on the left, the selected team's members on the right. */
export function TeamsPage() {
  const { t } = useTranslation();
  const { isAdmin } = useRole();
  const teams = useTeams();
  const [params, setParams] = useSearchParams();
  const [dialog, setDialog] = useState<{ team: TeamView | null } | null>(null);
  const [deleting, setDeleting] = useState<TeamView | null>(null);
  const del = useDeleteTeam();

  const list = useMemo(() => teams.data ?? [], [teams.data]);
  const selectedId = params.get('team');
  const selected = list.find((tm) => tm.id === selectedId) ?? null;

  const picked = useRef(false);
  const select = (id: string | null) => {
    picked.current = id !== null;
    setParams(id === null ? {} : { team: id }, { replace: true });
  };

  // On phones the panel sits below the list: bring a team the user picked into view.
  useEffect(() => {
    if (!picked.current || selected === null) return;
    picked.current = false;
    if (!window.matchMedia('(min-width: 768px)').matches) {
      document.getElementById('team-title')?.scrollIntoView({ block: 'start', behavior: 'smooth' });
    }
  }, [selected]);

  // Open the first team when none (or a deleted one) is selected, on wide screens.
  useEffect(() => {
    const first = list[0];
    if (selected === null && first !== undefined && window.matchMedia('(min-width: 768px)').matches) {
      setParams({ team: first.id }, { replace: true });
    }
  }, [list, selected, setParams]);

  const onDelete = () => {
    if (deleting === null) return;
    const team = deleting;
    del.mutate(team.id, {
      onSuccess: () => {
        toast.success(t('teams.delete.success', { name: team.name }));
        setDeleting(null);
        if (selectedId === team.id) select(null);
      },
      onError: (err) => {
        toast.error(errorMessage(err, t));
        setDeleting(null);
      },
    });
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 className="text-[15px] font-semibold text-slate-900">{t('teams.title')}</h2>
          <p className="text-[13px] text-slate-600">{t('teams.subtitle')}</p>
        </div>
        {isAdmin && (
          <Button
            onClick={() => {
              setDialog({ team: null });
            }}
          >
            <Plus aria-hidden="true" className="size-4" />
            {t('teams.new')}
          </Button>
        )}
      </div>

      {teams.isError ? (
        <div className="space-y-2">
          <Alert>{errorMessage(teams.error, t)}</Alert>
          <Button variant="secondary" size="sm" onClick={() => void teams.refetch()}>
            {t('common.retry')}
          </Button>
        </div>
      ) : teams.isPending ? (
        <div role="status" className="space-y-2 md:w-72">
          <span className="sr-only">{t('common.loading')}</span>
          {Array.from({ length: 3 }, (_, i) => (
            <Skeleton key={i} className="h-14 w-full rounded-lg" />
          ))}
        </div>
      ) : list.length === 0 ? (
        <EmptyState
          icon={UsersRound}
          title={t('teams.empty.title')}
          body={isAdmin ? t('teams.empty.admin') : t('teams.empty.readOnly')}
          action={
            isAdmin ? (
              <Button
                onClick={() => {
                  setDialog({ team: null });
                }}
              >
                <Plus aria-hidden="true" className="size-4" />
                {t('teams.new')}
              </Button>
            ) : undefined
          }
        />
      ) : (
        <div className="grid items-start gap-4 md:grid-cols-[minmax(0,17rem)_minmax(0,1fr)]">
          <ul aria-label={t('teams.listLabel')} className="space-y-1.5">
            {list.map((team) => {
              const active = team.id === selected?.id;
              return (
                <li key={team.id}>
                  <button
                    type="button"
                    aria-current={active ? 'true' : undefined}
                    onClick={() => {
                      select(team.id);
                    }}
                    className={cn(
                      'w-full rounded-lg border px-3 py-2.5 text-left transition-colors',
                      'focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-600',
                      active ? 'border-brand-300 bg-brand-50' : 'border-slate-200 bg-white hover:border-slate-300 hover:bg-slate-50',
                    )}
                  >
                    <span className="block truncate text-[13px] font-medium text-slate-900">{team.name}</span>
                    <span className="mt-0.5 block text-xs text-slate-600">
                      {t('teams.memberCount', { count: team.memberCount })}
                      {team.supervisorIds.length > 0 && <> · {t('teams.supervisorCount', { count: team.supervisorIds.length })}</>}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>

          {selected === null ? (
            <p className="hidden rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-[13px] text-slate-600 md:block">
              {t('teams.selectHint')}
            </p>
          ) : (
            <section aria-labelledby="team-title" className="rounded-lg border border-slate-200 bg-white">
              <header className="flex flex-wrap items-start justify-between gap-2 border-b border-slate-100 px-4 py-3">
                <div className="min-w-0">
                  <h3 id="team-title" className="truncate text-sm font-semibold text-slate-900">
                    {selected.name}
                  </h3>
                  {selected.description && <p className="mt-0.5 text-[13px] text-slate-600">{selected.description}</p>}
                </div>
                {isAdmin && (
                  <div className="flex gap-1">
                    <Button
                      variant="ghost"
                      size="sm"
                      onClick={() => {
                        setDialog({ team: selected });
                      }}
                    >
                      <Pencil aria-hidden="true" className="size-4" />
                      {t('teams.edit.action')}
                    </Button>
                    <Button
                      variant="ghost"
                      size="sm"
                      className="text-red-700 hover:bg-red-50 hover:text-red-800"
                      onClick={() => {
                        setDeleting(selected);
                      }}
                    >
                      <Trash2 aria-hidden="true" className="size-4" />
                      {t('teams.delete.action')}
                    </Button>
                  </div>
                )}
              </header>
              <div className="p-4">
                <TeamMembers key={selected.id} team={selected} canEdit={isAdmin} />
              </div>
            </section>
          )}
        </div>
      )}

      {isAdmin && (
        <>
          <TeamDialog
            open={dialog !== null}
            team={dialog?.team ?? null}
            onOpenChange={(open) => {
              if (!open) setDialog(null);
            }}
            onSaved={(team) => {
              select(team.id);
            }}
          />
          <ConfirmDialog
            open={deleting !== null}
            onOpenChange={(open) => {
              if (!open) setDeleting(null);
            }}
            title={t('teams.delete.title', { name: deleting?.name ?? '' })}
            description={t('teams.delete.body')}
            confirmLabel={t('teams.delete.confirm')}
            cancelLabel={t('common.cancel')}
            onConfirm={onDelete}
            pending={del.isPending}
          />
        </>
      )}
    </div>
  );
}
