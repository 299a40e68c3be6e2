import { CircleCheck, X } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { toast } from 'sonner';
import { Button } from '@/components/ui/Button';
import { Select } from '@/components/ui/Select';
import type { Schemas } from '@/lib/api';
import { errorMessage } from '@/lib/errorMessage';
import { useAssignable } from '../api/assignable';
import { useBulkUpdate } from '../api/updateConversation';
import { SNOOZE_PRESETS, snoozeUntil, type SnoozePreset } from '../snooze';

type BulkAction = Schemas['BulkAction'];
type BulkResult = Schemas['BulkResult'];

const STATUSES = ['OPEN', 'PENDING', 'RESOLVED'] as const;
const KNOWN_REASONS = ['not_found', 'category_required'] as const;
/** A select's value meaning "nobody" / "no team" (the empty value is the placeholder). */
const NONE = '__none__';

export interface BulkActionsProps {
  ids: string[];
  /** After an answer: the ids that failed stay selected so they can be fixed and retried. */
  onDone: (failedIds: string[]) => void;
  onClear: () => void;
}

/**
 * The bar over the list while conversations are selected: resolve, status, assign,
 * team and snooze, each one request for all (`POST /conversations/bulk`); what could
 * not be changed is reported with its reason.
 */
export function BulkActions({ ids, onDone, onClear }: BulkActionsProps) {
  const { t } = useTranslation();
  const { me, agents, teams: teamList } = useAssignable();
  const bulk = useBulkUpdate();

  const report = (result: BulkResult, resolved: boolean) => {
    if (result.updated > 0) {
      toast.success(resolved ? t('inbox.bulk.resolved', { count: result.updated }) : t('inboxTools.bulk.done', { count: result.updated }));
    }
    if (result.failed.length > 0) {
      const codes = [...new Set(result.failed.map((f) => f.code))];
      const reasons = codes
        .map((code) =>
          (KNOWN_REASONS as readonly string[]).includes(code)
            ? t(`inboxTools.bulk.reasons.${code as (typeof KNOWN_REASONS)[number]}`)
            : t('inboxTools.bulk.reasons.other'),
        )
        .join('; ');
      toast.warning(t('inboxTools.bulk.failed', { count: result.failed.length, reasons }));
    }
    onDone(result.failed.map((f) => f.id));
  };

  const run = (action: BulkAction) => {
    const resolved = action.type === 'status' && action.status === 'RESOLVED';
    bulk.mutate(
      { ids, action },
      {
        onSuccess: (result) => {
          report(result, resolved);
        },
        onError: (err) => toast.error(errorMessage(err, t)),
      },
    );
  };

  const pick = (label: string, onPick: (value: string) => void, options: { value: string; label: string }[], testId: string) => (
    <Select
      aria-label={label}
      data-testid={testId}
      value=""
      disabled={bulk.isPending}
      onChange={(e) => {
        if (e.target.value) onPick(e.target.value);
      }}
      className="h-8 min-w-0 text-[13px]"
    >
      <option value="">{label}</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </Select>
  );

  return (
    <div className="space-y-1.5 border-b border-slate-200 bg-brand-50 px-3 py-1.5" role="region" aria-label={t('inbox.bulk.label')}>
      <div className="flex items-center gap-2">
        <span className="flex-1 text-[13px] font-medium text-brand-900" aria-live="polite">
          {t('inbox.bulk.selected', { count: ids.length })}
        </span>
        <Button
          size="sm"
          onClick={() => {
            run({ type: 'status', status: 'RESOLVED' });
          }}
          loading={bulk.isPending}
        >
          {!bulk.isPending && <CircleCheck aria-hidden="true" className="size-4" />}
          {t('inbox.bulk.resolve')}
        </Button>
        <Button size="icon" variant="ghost" aria-label={t('inbox.bulk.clear')} title={t('inbox.bulk.clear')} onClick={onClear}>
          <X aria-hidden="true" className="size-4" />
        </Button>
      </div>
      <div className="grid grid-cols-2 gap-1.5">
        {pick(
          t('inboxTools.bulk.assign'),
          (v) => {
            run({ type: 'assign', agentId: v === NONE ? null : v });
          },
          [
            { value: NONE, label: t('inboxTools.bulk.nobody') },
            ...agents.map((a) => ({ value: a.id, label: a.id === me?.id ? t('inboxTools.bulk.me', { name: a.name }) : a.name })),
          ],
          'bulk-assign',
        )}
        {teamList.length > 0 &&
          pick(
            t('inboxTools.bulk.team'),
            (v) => {
              run({ type: 'team', teamId: v === NONE ? null : v });
            },
            [{ value: NONE, label: t('inboxTools.bulk.noTeam') }, ...teamList.map((team) => ({ value: team.id, label: team.name }))],
            'bulk-team',
          )}
        {pick(
          t('inboxTools.bulk.status'),
          (v) => {
            run({ type: 'status', status: v as (typeof STATUSES)[number] });
          },
          STATUSES.map((s) => ({ value: s, label: t(`inboxTools.bulk.statuses.${s}`) })),
          'bulk-status',
        )}
        {pick(
          t('inboxTools.bulk.snooze'),
          (v) => {
            run({ type: 'snooze', until: snoozeUntil(v as SnoozePreset, new Date()).toISOString() });
          },
          SNOOZE_PRESETS.map((p) => ({ value: p, label: t(`inbox.snooze.presets.${p}`) })),
          'bulk-snooze',
        )}
      </div>
    </div>
  );
}
