import { Download, ScrollText } from 'lucide-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { Field } from '@/components/ui/Field';
import { Input } from '@/components/ui/Input';
import { Select } from '@/components/ui/Select';
import { Skeleton } from '@/components/ui/Skeleton';
import { useUsers } from '@/features/users';
import { errorMessage } from '@/lib/errorMessage';
import { formatDateTime } from '@/lib/format';
import { auditPtBR } from '@/lib/i18n/locales/pt-BR.audit';
import { AUDIT_PAGE_SIZE, auditCsvUrl, useAuditLog, type AuditEntry, type AuditFilter } from '../api/listAudit';
import { describeDetails } from '../details';

type ActionKey = keyof typeof auditPtBR.actions;
type FamilyKey = keyof typeof auditPtBR.families;
type TargetKey = keyof typeof auditPtBR.targets;
const TARGET_KEYS = Object.keys(auditPtBR.targets) as TargetKey[];
const ACTION_KEYS = Object.keys(auditPtBR.actions) as ActionKey[];
const FAMILIES = Object.keys(auditPtBR.families) as FamilyKey[];

function actionKey(action: string): ActionKey | null {
  const key = action.replace(/\./g, '_');
  return (ACTION_KEYS as string[]).includes(key) ? (key as ActionKey) : null;
}

/** Settings → Registro de auditoria: sensitive actions of the workspace, for admins. */
export function AuditLogPage() {
  const { t, i18n } = useTranslation();
  const [filter, setFilter] = useState<AuditFilter>({});
  const [page, setPage] = useState(0);
  const invalidRange = Boolean(filter.from && filter.to && filter.to < filter.from);
  const log = useAuditLog(filter, page, !invalidRange);
  const users = useUsers({ limit: 200 });
  const rows = log.data?.entries ?? [];
  const total = log.data?.total ?? 0;
  const filtered = Object.values(filter).some(Boolean);

  const change = (key: keyof AuditFilter, value: string) => {
    setFilter((prev) => ({ ...prev, [key]: value || undefined }));
    setPage(0);
  };

  const actorLabel = (entry: AuditEntry) => {
    if (entry.actor.kind === 'system') return t('audit.actor.system');
    if (entry.actor.kind === 'platform_admin') return t('audit.actor.platform_admin');
    return entry.actor.name ?? t('audit.actor.unknown');
  };

  // Ids are UUIDv7 (time first): their last characters tell them apart.
  const targetLabel = (entry: AuditEntry) => {
    const type = entry.targetType ?? '';
    const name = (TARGET_KEYS as string[]).includes(type) ? t(`audit.targets.${type as TargetKey}`) : type;
    return entry.targetId ? `${name} …${entry.targetId.slice(-8)}` : name;
  };

  const actionLabel = (action: string) => {
    const key = actionKey(action);
    return key ? t(`audit.actions.${key}`) : action;
  };

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 className="text-[15px] font-semibold text-slate-900">{t('audit.title')}</h2>
          <p className="max-w-2xl text-[13px] text-slate-600">{t('audit.subtitle')}</p>
        </div>
        <a
          href={auditCsvUrl(filter)}
          download
          className="inline-flex h-9 items-center gap-2 rounded-md border border-slate-300 bg-white px-3.5 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
        >
          <Download aria-hidden="true" className="size-4" />
          {t('audit.download')}
        </a>
      </div>

      <fieldset className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <legend className="sr-only">{t('audit.filters.label')}</legend>
        <Field label={t('audit.filters.actor')}>
          {(control) => (
            <Select
              {...control}
              value={filter.actorId ?? ''}
              onChange={(e) => {
                change('actorId', e.target.value);
              }}
            >
              <option value="">{t('audit.filters.anyone')}</option>
              {(users.data?.users ?? []).map((u) => (
                <option key={u.id} value={u.id}>
                  {u.name} ({u.email})
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label={t('audit.filters.action')}>
          {(control) => (
            <Select
              {...control}
              value={filter.action ?? ''}
              onChange={(e) => {
                change('action', e.target.value);
              }}
            >
              <option value="">{t('audit.filters.anyAction')}</option>
              {FAMILIES.map((family) => (
                <optgroup key={family} label={t(`audit.families.${family}`)}>
                  <option value={`${family}.*`}>
                    {t(`audit.families.${family}`)} — {t('audit.filters.anyAction').toLowerCase()}
                  </option>
                  {ACTION_KEYS.filter((k) => k.startsWith(`${family}_`)).map((k) => (
                    <option key={k} value={`${family}.${k.slice(family.length + 1)}`}>
                      {t(`audit.actions.${k}`)}
                    </option>
                  ))}
                </optgroup>
              ))}
            </Select>
          )}
        </Field>
        <Field label={t('audit.filters.from')}>
          {(control) => (
            <Input
              {...control}
              type="date"
              value={filter.from ?? ''}
              onChange={(e) => {
                change('from', e.target.value);
              }}
            />
          )}
        </Field>
        <Field label={t('audit.filters.to')} error={invalidRange ? t('audit.invalidRange') : undefined}>
          {(control) => (
            <Input
              {...control}
              type="date"
              value={filter.to ?? ''}
              onChange={(e) => {
                change('to', e.target.value);
              }}
            />
          )}
        </Field>
      </fieldset>

      {log.isError ? (
        <div className="space-y-2">
          <Alert>{errorMessage(log.error, t)}</Alert>
          <Button variant="secondary" size="sm" onClick={() => void log.refetch()}>
            {t('common.retry')}
          </Button>
        </div>
      ) : log.isPending && !invalidRange ? (
        <div role="status" className="space-y-2">
          <span className="sr-only">{t('common.loading')}</span>
          <Skeleton className="h-9 w-full" />
          <Skeleton className="h-9 w-full" />
          <Skeleton className="h-9 w-full" />
        </div>
      ) : rows.length === 0 ? (
        <EmptyState
          icon={ScrollText}
          title={t('audit.empty')}
          action={
            filtered ? (
              <Button
                variant="secondary"
                size="sm"
                onClick={() => {
                  setFilter({});
                  setPage(0);
                }}
              >
                {t('audit.filters.clear')}
              </Button>
            ) : undefined
          }
        />
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white" aria-busy={log.isFetching}>
          <table className="w-full text-left text-[13px]">
            <caption className="sr-only">{t('audit.title')}</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-600">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium whitespace-nowrap">
                  {t('audit.columns.when')}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t('audit.columns.actor')}
                </th>
                <th scope="col" className="px-3 py-2 font-medium">
                  {t('audit.columns.action')}
                </th>
                <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">
                  {t('audit.columns.details')}
                </th>
                <th scope="col" className="hidden px-3 py-2 font-medium lg:table-cell">
                  {t('audit.columns.ip')}
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {rows.map((entry) => (
                <tr key={entry.id} data-testid="audit-row" className="align-top hover:bg-slate-50">
                  <td className="whitespace-nowrap px-3 py-2 tabular-nums text-slate-700">
                    {formatDateTime(entry.createdAt, i18n.language)}
                  </td>
                  <td className="px-3 py-2">
                    <div className="font-medium text-slate-900">{actorLabel(entry)}</div>
                    {entry.actor.email && <div className="text-xs text-slate-500">{entry.actor.email}</div>}
                  </td>
                  <td className="px-3 py-2">
                    <div className="text-slate-900">{actionLabel(entry.action)}</div>
                    <div className="font-mono text-[11px] text-slate-500">{entry.action}</div>
                  </td>
                  <td className="hidden max-w-md px-3 py-2 break-words text-slate-600 md:table-cell">
                    {entry.targetType && (
                      <div className="text-xs text-slate-500">
                        {t('audit.columns.target')}: {targetLabel(entry)}
                      </div>
                    )}
                    {describeDetails(entry.details)}
                  </td>
                  <td className="hidden whitespace-nowrap px-3 py-2 font-mono text-xs text-slate-600 lg:table-cell">
                    {entry.ip ?? ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <nav
            aria-label={t('audit.title')}
            className="flex items-center justify-between gap-2 border-t border-slate-200 px-3 py-2 text-[13px] text-slate-600"
          >
            <span>
              {total > AUDIT_PAGE_SIZE
                ? t('common.range', {
                    from: page * AUDIT_PAGE_SIZE + 1,
                    to: Math.min(total, (page + 1) * AUDIT_PAGE_SIZE),
                    total,
                  })
                : t('audit.total', { count: total })}
            </span>
            {total > AUDIT_PAGE_SIZE && (
              <span className="flex gap-2">
                <Button
                  variant="secondary"
                  size="sm"
                  disabled={page === 0}
                  onClick={() => {
                    setPage((p) => Math.max(0, p - 1));
                  }}
                >
                  {t('common.previous')}
                </Button>
                <Button
                  variant="secondary"
                  size="sm"
                  disabled={(page + 1) * AUDIT_PAGE_SIZE >= total}
                  onClick={() => {
                    setPage((p) => p + 1);
                  }}
                >
                  {t('common.next')}
                </Button>
              </span>
            )}
          </nav>
        </div>
      )}
    </div>
  );
}
