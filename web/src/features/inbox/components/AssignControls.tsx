import { UserPlus } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Button } from '@/components/ui/Button';
import { Select } from '@/components/ui/Select';
import { errorMessage } from '@/lib/errorMessage';
import { useAssignable } from '../api/assignable';
import type { Conversation } from '../api/keys';
import { useUpdateConversation, type ConversationPatch } from '../api/updateConversation';

/**
 * Assignee and team pickers. Managers and admins pick any active user; agents can take
 * the conversation or let it go.
 */
export function AssignControls({ conversation: c }: { conversation: Conversation }) {
  const { t } = useTranslation();
  const { me, agents, teams: teamList } = useAssignable();
  const update = useUpdateConversation();

  const patch = (body: ConversationPatch, done: string) => {
    update.mutate(
      { id: c.id, patch: body },
      {
        onSuccess: () => toast.success(done),
        onError: (err) => toast.error(errorMessage(err, t)),
      },
    );
  };

  if (c.assignee && !agents.some((a) => a.id === c.assignee?.id)) agents.unshift(c.assignee);

  return (
    <>
      {me && c.assignee?.id !== me.id && (
        <Button
          size="sm"
          variant="secondary"
          className="h-8 shrink-0"
          title={t('inbox.assign.takeIt')}
          disabled={update.isPending}
          onClick={() => {
            patch({ agentId: me.id }, t('inbox.assign.assigned', { name: me.name }));
          }}
        >
          <UserPlus aria-hidden="true" className="size-4" />
          {/* Icon only on a phone, where the row is tight. */}
          <span className="sr-only sm:not-sr-only">{t('inbox.assign.takeIt')}</span>
        </Button>
      )}
      <label className="flex min-w-0 shrink-0 items-center gap-1.5 text-xs text-slate-600">
        <span className="sr-only sm:not-sr-only sm:shrink-0">{t('inbox.assign.agent')}</span>
        <Select
          value={c.assignee?.id ?? ''}
          disabled={update.isPending}
          onChange={(e) => {
            const id = e.target.value || null;
            const name = agents.find((a) => a.id === id)?.name ?? '';
            patch({ agentId: id }, id ? t('inbox.assign.assigned', { name }) : t('inbox.assign.unassigned'));
          }}
          className="h-8 w-auto max-w-40 text-[13px] sm:max-w-48"
        >
          <option value="">{t('inbox.assign.nobody')}</option>
          {agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.id === me?.id ? t('inbox.assign.me', { name: a.name }) : a.name}
            </option>
          ))}
        </Select>
      </label>
      {(teamList.length > 0 || c.teamId) && (
        <label className="flex min-w-0 shrink-0 items-center gap-1.5 text-xs text-slate-600">
          <span className="sr-only sm:not-sr-only sm:shrink-0">{t('inbox.assign.team')}</span>
          <Select
            value={c.teamId ?? ''}
            disabled={update.isPending}
            onChange={(e) => {
              const id = e.target.value || null;
              const name = teamList.find((x) => x.id === id)?.name ?? '';
              patch({ teamId: id }, id ? t('inbox.assign.teamSet', { name }) : t('inbox.assign.teamCleared'));
            }}
            className="h-8 w-auto max-w-36 text-[13px] sm:max-w-44"
          >
            <option value="">{t('inbox.assign.noTeam')}</option>
            {teamList.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
            {c.teamId && !teamList.some((x) => x.id === c.teamId) && <option value={c.teamId}>{t('inbox.assign.otherTeam')}</option>}
          </Select>
        </label>
      )}
    </>
  );
}
