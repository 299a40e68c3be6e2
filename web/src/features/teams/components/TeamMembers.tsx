import { Trash2, UserPlus, UsersRound } from 'lucide-react';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { Select } from '@/components/ui/Select';
import { Skeleton } from '@/components/ui/Skeleton';
import { Switch } from '@/components/ui/Switch';
import { canSupervise } from '@/features/auth';
import { RoleBadge, useUsers } from '@/features/users';
import { errorMessage } from '@/lib/errorMessage';
import type { MemberView, TeamView } from '../api/keys';
import { useMembers } from '../api/listMembers';
import { usePutMember } from '../api/putMember';
import { useRemoveMember } from '../api/removeMember';

/** The members of one team; admins add, remove and choose supervisors. */
export function TeamMembers({ team, canEdit }: { team: TeamView; canEdit: boolean }) {
  const { t } = useTranslation();
  const members = useMembers(team.id);

  return (
    <div className="space-y-3">
      {canEdit && <AddMember team={team} members={members.data ?? []} />}
      {members.isError ? (
        <Alert>{errorMessage(members.error, t)}</Alert>
      ) : members.isPending ? (
        <div role="status" className="space-y-2">
          <span className="sr-only">{t('common.loading')}</span>
          {Array.from({ length: 3 }, (_, i) => (
            <div key={i} className="flex items-center gap-3 py-2">
              <Skeleton className="h-3.5 w-40" />
              <Skeleton className="h-4 w-16 rounded-full" />
              <Skeleton className="ml-auto h-5 w-9 rounded-full" />
            </div>
          ))}
        </div>
      ) : members.data.length === 0 ? (
        <EmptyState
          icon={UsersRound}
          title={t('teams.members.empty')}
          body={canEdit ? t('teams.members.emptyAdmin') : undefined}
          className="py-8"
        />
      ) : (
        <ul className="divide-y divide-slate-100" aria-label={t('teams.members.title')}>
          {members.data.map((m) => (
            <MemberRow key={m.userId} team={team} member={m} canEdit={canEdit} />
          ))}
        </ul>
      )}
    </div>
  );
}

function MemberRow({ team, member, canEdit }: { team: TeamView; member: MemberView; canEdit: boolean }) {
  const { t } = useTranslation();
  const put = usePutMember();
  const remove = useRemoveMember();
  const hintId = useId();
  const eligible = canSupervise(member.role);

  const toggle = (supervisor: boolean) => {
    put.mutate(
      { teamId: team.id, userId: member.userId, supervisor },
      {
        onSuccess: (m) => {
          toast.success(t(m.supervisor ? 'teams.members.supervisorOn' : 'teams.members.supervisorOff', { name: m.name }));
        },
        onError: (err) => {
          toast.error(errorMessage(err, t));
        },
      },
    );
  };

  const onRemove = () => {
    remove.mutate(
      { teamId: team.id, userId: member.userId },
      {
        onSuccess: () => {
          toast.success(t('teams.members.removed', { name: member.name }));
        },
        onError: (err) => {
          toast.error(errorMessage(err, t));
        },
      },
    );
  };

  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2.5" data-testid="team-member">
      <div className="min-w-0 flex-1">
        <div className="flex min-w-0 items-center gap-2">
          <span className="truncate text-[13px] font-medium text-slate-900">{member.name}</span>
          <RoleBadge role={member.role} />
        </div>
        <div className="truncate text-xs text-slate-500">{member.email}</div>
        {!eligible && canEdit && (
          <p id={hintId} className="mt-0.5 text-xs text-slate-500">
            {t('teams.members.agentCannotSupervise')}
          </p>
        )}
      </div>
      <label className="flex items-center gap-2 text-xs text-slate-700">
        <span aria-hidden="true">{t('teams.members.supervisor')}</span>
        <Switch
          checked={member.supervisor}
          onCheckedChange={toggle}
          disabled={!canEdit || !eligible || put.isPending}
          aria-label={t('teams.members.supervisorOf', { name: member.name })}
          aria-describedby={!eligible && canEdit ? hintId : undefined}
        />
      </label>
      {canEdit && (
        <Button
          variant="ghost"
          size="icon"
          aria-label={t('teams.members.removeAction', { name: member.name })}
          title={t('common.remove')}
          loading={remove.isPending}
          onClick={onRemove}
          className="text-slate-500 hover:bg-red-50 hover:text-red-700"
        >
          {!remove.isPending && <Trash2 aria-hidden="true" className="size-4" />}
        </Button>
      )}
    </li>
  );
}

function AddMember({ team, members }: { team: TeamView; members: MemberView[] }) {
  const { t } = useTranslation();
  const users = useUsers({ active: true, limit: 200 });
  const put = usePutMember();
  const [userId, setUserId] = useState('');
  const selectId = useId();

  const inTeam = new Set(members.map((m) => m.userId));
  const candidates = (users.data?.users ?? []).filter((u) => !inTeam.has(u.id));

  const onAdd = () => {
    const user = candidates.find((u) => u.id === userId);
    if (user === undefined) return;
    put.mutate(
      { teamId: team.id, userId: user.id, supervisor: false },
      {
        onSuccess: () => {
          toast.success(t('teams.members.added', { name: user.name }));
          setUserId('');
        },
        onError: (err) => {
          toast.error(errorMessage(err, t));
        },
      },
    );
  };

  return (
    <div className="rounded-md bg-slate-50 p-3">
      <label htmlFor={selectId} className="mb-1.5 block text-[13px] font-medium text-slate-700">
        {t('teams.members.add')}
      </label>
      {users.data !== undefined && candidates.length === 0 ? (
        <p className="text-xs text-slate-500">{t('teams.members.allAdded')}</p>
      ) : (
        <div className="flex gap-2">
          <Select
            id={selectId}
            value={userId}
            onChange={(e) => {
              setUserId(e.target.value);
            }}
            disabled={users.isPending}
            className="min-w-0 flex-1"
          >
            <option value="">{t('teams.members.choose')}</option>
            {candidates.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} · {t(`roles.${u.role}`)}
              </option>
            ))}
          </Select>
          <Button onClick={onAdd} disabled={userId === ''} loading={put.isPending}>
            {!put.isPending && <UserPlus aria-hidden="true" className="size-4" />}
            {t('teams.members.addSubmit')}
          </Button>
        </div>
      )}
    </div>
  );
}
