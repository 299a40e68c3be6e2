import { ChevronLeft, ChevronRight, Contact as ContactIcon, Download, GitMerge, Search, Upload } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Alert } from '@/components/ui/Alert';
import { Avatar } from '@/components/ui/Avatar';
import { Button } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { Input } from '@/components/ui/Input';
import { Select } from '@/components/ui/Select';
import { Skeleton } from '@/components/ui/Skeleton';
import { useRole } from '@/features/auth';
import { cn } from '@/lib/cn';
import { errorMessage } from '@/lib/errorMessage';
import { RelativeTime } from '@/components/RelativeTime';
import { useDebounced } from '@/lib/useDebounced';
import { useNow } from '@/lib/useNow';
import { paths } from '@/paths';
import { exportUrl } from '../api/importContacts';
import { LEAD_STATUSES, type Contact, type LeadStatus } from '../api/keys';
import { useContacts } from '../api/listContacts';
import { ImportDialog } from './ImportDialog';
import { LeadStatusBadge } from './LeadStatusBadge';
import { MergeDialog } from './MergeDialog';

export const CONTACTS_PAGE_SIZE = 25;

function isLead(v: string | null): v is LeadStatus {
  return v !== null && (LEAD_STATUSES as readonly string[]).includes(v);
}

/** `/contacts`: search, lead filter, CSV import / export, and merging duplicates. */
export function ContactsPage() {
  const { t } = useTranslation();
  const { atLeast } = useRole();
  const manager = atLeast('MANAGER');
  const [params, setParams] = useSearchParams();
  const lead = isLead(params.get('lead')) ? (params.get('lead') as LeadStatus) : undefined;
  const page = Math.max(0, Number(params.get('page') ?? '0') || 0);
  const [text, setText] = useState(params.get('q') ?? '');
  const q = useDebounced(text.trim(), 250);
  const now = useNow();
  const [selected, setSelected] = useState<Contact[]>([]);
  const [importing, setImporting] = useState(false);
  const [merging, setMerging] = useState(false);

  // Only when the debounced text changes (setParams changes with every URL change).
  const appliedQ = useRef(q);
  useEffect(() => {
    if (appliedQ.current === q) return;
    appliedQ.current = q;
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if ((next.get('q') ?? '') === q) return prev;
        if (q) next.set('q', q);
        else next.delete('q');
        next.delete('page');
        return next;
      },
      { replace: true },
    );
  }, [q, setParams]);

  const setParam = (key: 'lead' | 'page', value: string | undefined) => {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        if (key !== 'page') next.delete('page');
        return next;
      },
      { replace: true },
    );
  };

  const contacts = useContacts({
    ...(q ? { search: q } : {}),
    ...(lead ? { leadStatus: lead } : {}),
    limit: CONTACTS_PAGE_SIZE,
    offset: page * CONTACTS_PAGE_SIZE,
  });
  const rows = contacts.data?.contacts ?? [];
  const total = contacts.data?.total ?? 0;
  const filtered = q !== '' || lead !== undefined;
  const from = total === 0 ? 0 : page * CONTACTS_PAGE_SIZE + 1;
  const to = Math.min(total, (page + 1) * CONTACTS_PAGE_SIZE);

  const toggle = (c: Contact) => {
    setSelected((prev) => (prev.some((x) => x.id === c.id) ? prev.filter((x) => x.id !== c.id) : [...prev, c]));
  };

  return (
    <div className="mx-auto max-w-6xl space-y-4 p-3 sm:p-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-lg font-semibold text-slate-900">{t('contacts.title')}</h1>
          <p className="text-[13px] text-slate-600">{t('contacts.subtitle')}</p>
        </div>
        <div className="flex flex-wrap gap-2">
          {manager && (
            <>
              <Button
                variant="secondary"
                onClick={() => {
                  setImporting(true);
                }}
              >
                <Upload aria-hidden="true" className="size-4" />
                {t('contacts.import.action')}
              </Button>
              <a
                href={exportUrl({ search: q, leadStatus: lead })}
                download
                className="inline-flex h-9 items-center gap-2 rounded-md border border-slate-300 bg-white px-3.5 text-sm font-medium text-slate-800 shadow-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600"
              >
                <Download aria-hidden="true" className="size-4" />
                {t('contacts.export')}
              </a>
            </>
          )}
        </div>
      </div>

      <div className="flex flex-col gap-2 sm:flex-row sm:items-center" role="search">
        <label className="relative flex-1 sm:max-w-sm">
          <span className="sr-only">{t('contacts.search')}</span>
          <Search aria-hidden="true" className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-slate-400" />
          <Input
            type="search"
            value={text}
            onChange={(e) => {
              setText(e.target.value);
            }}
            placeholder={t('contacts.searchPlaceholder')}
            className="pl-8"
          />
        </label>
        <label className="flex items-center gap-2 text-[13px] text-slate-700">
          <span className="shrink-0">{t('contacts.fields.leadStatus')}</span>
          <Select
            value={lead ?? ''}
            onChange={(e) => {
              setParam('lead', e.target.value || undefined);
            }}
            className="sm:w-44"
          >
            <option value="">{t('contacts.allLeads')}</option>
            {LEAD_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`contacts.lead.${s}`)}
              </option>
            ))}
          </Select>
        </label>
        {contacts.data !== undefined && (
          <p className="text-[13px] text-slate-500 sm:ml-auto" aria-live="polite">
            {t('contacts.total', { count: total })}
          </p>
        )}
      </div>

      {selected.length > 0 && (
        <div className="flex flex-wrap items-center gap-2 rounded-md border border-brand-200 bg-brand-50 px-3 py-2" role="region" aria-label={t('contacts.selection')}>
          <span className="flex-1 text-[13px] font-medium text-brand-900" aria-live="polite">
            {t('contacts.selected', { count: selected.length })}
          </span>
          {manager && selected.length !== 2 && <span className="text-xs text-brand-900">{t('contacts.merge.pickTwo')}</span>}
          {manager && (
            <Button
              size="sm"
              disabled={selected.length !== 2}
              onClick={() => {
                setMerging(true);
              }}
            >
              <GitMerge aria-hidden="true" className="size-4" />
              {t('contacts.merge.action')}
            </Button>
          )}
          <Button
            size="sm"
            variant="ghost"
            onClick={() => {
              setSelected([]);
            }}
          >
            {t('contacts.clearSelection')}
          </Button>
        </div>
      )}

      {contacts.isError ? (
        <div className="space-y-2">
          <Alert>{errorMessage(contacts.error, t)}</Alert>
          <Button variant="secondary" size="sm" onClick={() => void contacts.refetch()}>
            {t('common.retry')}
          </Button>
        </div>
      ) : contacts.isPending ? (
        <TableSkeleton />
      ) : rows.length === 0 ? (
        <EmptyState
          icon={ContactIcon}
          title={filtered ? t('contacts.empty.filteredTitle') : t('contacts.empty.title')}
          body={filtered ? t('contacts.empty.filtered') : manager ? t('contacts.empty.bodyManager') : t('contacts.empty.body')}
          action={
            filtered ? (
              <Button
                variant="secondary"
                size="sm"
                onClick={() => {
                  setText('');
                  setParams({}, { replace: true });
                }}
              >
                {t('contacts.empty.clearFilters')}
              </Button>
            ) : manager ? (
              <Button
                variant="secondary"
                size="sm"
                onClick={() => {
                  setImporting(true);
                }}
              >
                <Upload aria-hidden="true" className="size-4" />
                {t('contacts.import.action')}
              </Button>
            ) : undefined
          }
        />
      ) : (
        <>
          <div className="overflow-hidden rounded-lg border border-slate-200 bg-white" aria-busy={contacts.isFetching}>
            <table className="w-full table-fixed text-left text-[13px]">
              <caption className="sr-only">{t('contacts.title')}</caption>
              <thead className="border-b border-slate-200 bg-slate-50 text-xs text-slate-600">
                <tr>
                  <th scope="col" className="w-10 px-3 py-2">
                    <span className="sr-only">{t('contacts.selection')}</span>
                  </th>
                  <th scope="col" className="px-3 py-2 font-medium">
                    {t('contacts.fields.name')}
                  </th>
                  <th scope="col" className="hidden px-3 py-2 font-medium md:table-cell">
                    {t('contacts.fields.phone')}
                  </th>
                  <th scope="col" className="hidden px-3 py-2 font-medium lg:table-cell">
                    {t('contacts.fields.email')}
                  </th>
                  <th scope="col" className="w-28 px-3 py-2 font-medium sm:w-32">
                    {t('contacts.fields.leadStatus')}
                  </th>
                  <th scope="col" className="hidden w-32 px-3 py-2 font-medium sm:table-cell">
                    {t('contacts.fields.lastActivity')}
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((c) => {
                  const isSelected = selected.some((x) => x.id === c.id);
                  return (
                    <tr key={c.id} className={cn(isSelected ? 'bg-brand-50/60' : 'hover:bg-slate-50')} data-testid="contact-row">
                      <td className="px-3 py-2">
                        <input
                          type="checkbox"
                          checked={isSelected}
                          onChange={() => {
                            toggle(c);
                          }}
                          aria-label={t('contacts.select', { name: c.name })}
                          className="size-4 rounded border-slate-300 accent-brand-600"
                        />
                      </td>
                      <td className="px-3 py-2">
                        <Link to={`${paths.contacts}/${c.id}`} className="flex min-w-0 items-center gap-2 rounded focus-visible:outline-2 focus-visible:outline-brand-600">
                          <Avatar name={c.name} seed={c.id} size="sm" />
                          <span className="min-w-0">
                            <span className="block truncate font-medium text-slate-900 hover:underline">{c.name}</span>
                            <span className="block truncate text-xs text-slate-500 md:hidden">{c.phone ?? c.email ?? ''}</span>
                          </span>
                        </Link>
                      </td>
                      <td className="hidden truncate px-3 py-2 tabular-nums text-slate-700 md:table-cell">{c.phone ?? '—'}</td>
                      <td className="hidden truncate px-3 py-2 text-slate-700 lg:table-cell">{c.email ?? '—'}</td>
                      <td className="px-3 py-2">
                        <LeadStatusBadge status={c.leadStatus} />
                      </td>
                      <td className="hidden px-3 py-2 text-slate-600 sm:table-cell">
                        <RelativeTime value={c.lastActivityAt} now={now} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {total > CONTACTS_PAGE_SIZE && (
            <nav className="flex items-center justify-end gap-2" aria-label={t('contacts.pagination')}>
              <span className="text-[13px] text-slate-600">{t('common.range', { from, to, total })}</span>
              <Button
                variant="secondary"
                size="sm"
                disabled={page === 0}
                onClick={() => {
                  setParam('page', page > 1 ? String(page - 1) : undefined);
                }}
              >
                <ChevronLeft aria-hidden="true" className="size-4" />
                {t('common.previous')}
              </Button>
              <Button
                variant="secondary"
                size="sm"
                disabled={to >= total}
                onClick={() => {
                  setParam('page', String(page + 1));
                }}
              >
                {t('common.next')}
                <ChevronRight aria-hidden="true" className="size-4" />
              </Button>
            </nav>
          )}
        </>
      )}

      <ImportDialog open={importing} onOpenChange={setImporting} />
      {selected.length === 2 && (
        <MergeDialog
          open={merging}
          onOpenChange={setMerging}
          key={selected.map((c) => c.id).join()}
          contacts={[selected[0] as Contact, selected[1] as Contact]}
          onMerged={() => {
            setSelected([]);
          }}
        />
      )}
    </div>
  );
}

function TableSkeleton() {
  const { t } = useTranslation();
  return (
    <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-3" role="status">
      <span className="sr-only">{t('common.loading')}</span>
      {Array.from({ length: 6 }, (_, i) => (
        <div key={i} className="flex items-center gap-3">
          <Skeleton className="size-7 rounded-full" />
          <Skeleton className="h-3.5 flex-1" />
          <Skeleton className="h-3.5 w-24" />
        </div>
      ))}
    </div>
  );
}
