import { useVirtualizer } from '@tanstack/react-virtual';
import { Inbox, Search, Settings } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { EmptyState } from '@/components/ui/EmptyState';
import { Input } from '@/components/ui/Input';
import { Select } from '@/components/ui/Select';
import { Skeleton } from '@/components/ui/Skeleton';
import { useRole } from '@/features/auth';
import { useChannels } from '@/features/channels';
import { useTeams } from '@/features/teams';
import { cn } from '@/lib/cn';
import { errorMessage } from '@/lib/errorMessage';
import { useDebounced } from '@/lib/useDebounced';
import { useNow } from '@/lib/useNow';
import { paths } from '@/paths';
import { INBOX_TABS, STATUS_FILTERS, toConversationQuery, type Conversation, type ConversationFilter, type StatusFilter } from '../api/keys';
import { useConversations } from '../api/listConversations';
import { useInboxUi } from '../store';
import { BulkActions } from './BulkActions';
import { ConversationListItem } from './ConversationListItem';

const ROW_HEIGHT = 76;

export interface ConversationListProps {
  filter: ConversationFilter;
  setFilter: (patch: Partial<ConversationFilter>) => void;
  /** The open conversation (highlighted). */
  activeId: string | undefined;
  /** The list's query string, kept on links so the filter survives opening a conversation. */
  search: string;
}

/** Tabs Mine / Unassigned / All, filters, search, and the virtualized, paginated list. */
export function ConversationList({ filter, setFilter, activeId, search }: ConversationListProps) {
  const { t } = useTranslation();
  const { isAdmin } = useRole();
  const [text, setText] = useState(filter.q ?? '');
  const q = useDebounced(text.trim(), 300);
  // Push the search to the URL when the (debounced) text changes, and only then: a
  // "clear filters" in between must not be undone by a stale value.
  const appliedQ = useRef(q);
  useEffect(() => {
    if (appliedQ.current === q) return;
    appliedQ.current = q;
    setFilter({ q });
  }, [q, setFilter]);

  const query = useMemo(() => toConversationQuery(filter), [filter]);
  const conversations = useConversations(query);
  const channels = useChannels();
  const teams = useTeams();
  const teamList = teams.data ?? [];
  const now = useNow();
  const [selected, setSelected] = useState<Set<string>>(() => new Set());

  const rows = useMemo(() => {
    const seen = new Set<string>();
    const out: Conversation[] = [];
    for (const page of conversations.data?.pages ?? []) {
      for (const c of page.conversations) {
        if (seen.has(c.id)) continue;
        seen.add(c.id);
        out.push(c);
      }
    }
    return out;
  }, [conversations.data]);

  // The order j/k walk through.
  const setListIds = useInboxUi((s) => s.setListIds);
  useEffect(() => {
    setListIds(rows.map((c) => c.id));
  }, [rows, setListIds]);

  // Selection only keeps what is still listed.
  useEffect(() => {
    setSelected((prev) => {
      if (prev.size === 0) return prev;
      const ids = new Set(rows.map((r) => r.id));
      const next = new Set([...prev].filter((id) => ids.has(id)));
      return next.size === prev.size ? prev : next;
    });
  }, [rows]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = conversations;
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer's functions are not memoizable; fine here
  const virtualizer = useVirtualizer({
    count: rows.length + (hasNextPage ? 1 : 0),
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    initialRect: { width: 360, height: 800 },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? -1;
  useEffect(() => {
    if (lastIndex >= rows.length - 5 && hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [lastIndex, rows.length, hasNextPage, isFetchingNextPage, fetchNextPage]);

  // Back to the top when the filter changes.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [query]);

  const toggle = (id: string) => {
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  };

  const noChannels = channels.data !== undefined && channels.data.length === 0;
  const filtered = filter.status !== 'OPEN' || filter.channelId !== undefined || filter.teamId !== undefined || (filter.q ?? '') !== '';

  return (
    <section aria-labelledby="inbox-list-title" className="flex h-full min-h-0 flex-col bg-white">
      <div className="space-y-2 border-b border-slate-200 px-3 pb-2 pt-3">
        <div className="flex items-center justify-between gap-2">
          <h1 id="inbox-list-title" className="text-[15px] font-semibold text-slate-900">
            {t('inbox.title')}
          </h1>
          {conversations.data !== undefined && (
            <span className="text-xs text-slate-500" aria-live="polite">
              {t('inbox.count', { count: conversations.data.pages[0]?.total ?? 0 })}
            </span>
          )}
        </div>
        <div role="tablist" aria-label={t('inbox.tabs.label')} className="grid grid-cols-3 gap-1 rounded-md bg-slate-100 p-0.5">
          {INBOX_TABS.map((tab) => (
            <button
              key={tab}
              type="button"
              role="tab"
              id={`inbox-tab-${tab}`}
              aria-selected={filter.tab === tab}
              aria-controls="inbox-list-panel"
              onClick={() => {
                setFilter({ tab });
              }}
              className={cn(
                'truncate whitespace-nowrap rounded px-1 py-1 text-[12px] font-medium transition-colors',
                'focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-brand-600',
                filter.tab === tab ? 'bg-white text-slate-900 shadow-sm' : 'text-slate-600 hover:text-slate-900',
              )}
            >
              {t(`inbox.tabs.${tab}`)}
            </button>
          ))}
        </div>
        <div className="flex gap-2">
          <label className="relative min-w-0 flex-1" role="search">
            <span className="sr-only">{t('inbox.search')}</span>
            <Search aria-hidden="true" className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-slate-400" />
            <Input
              type="search"
              value={text}
              onChange={(e) => {
                setText(e.target.value);
              }}
              placeholder={t('inbox.searchPlaceholder')}
              className="h-8 pl-8 text-[13px]"
            />
          </label>
        </div>
        <div className="flex gap-2">
          <label className="min-w-0 flex-1">
            <span className="sr-only">{t('inbox.filters.status')}</span>
            <Select
              value={filter.status}
              onChange={(e) => {
                setFilter({ status: e.target.value as StatusFilter });
              }}
              className="h-8 text-[13px]"
            >
              {STATUS_FILTERS.map((s) => (
                <option key={s} value={s}>
                  {t(`inbox.filters.statuses.${s}`)}
                </option>
              ))}
            </Select>
          </label>
          <label className="min-w-0 flex-1">
            <span className="sr-only">{t('inbox.filters.channel')}</span>
            <Select
              value={filter.channelId ?? ''}
              onChange={(e) => {
                setFilter({ channelId: e.target.value || undefined });
              }}
              className="h-8 text-[13px]"
            >
              <option value="">{t('inbox.filters.allChannels')}</option>
              {(channels.data ?? []).map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </Select>
          </label>
          {(teamList.length > 0 || filter.teamId !== undefined) && (
            <label className="min-w-0 flex-1">
              <span className="sr-only">{t('inbox.filters.team')}</span>
              <Select
                value={filter.teamId ?? ''}
                onChange={(e) => {
                  setFilter({ teamId: e.target.value || undefined });
                }}
                className="h-8 text-[13px]"
              >
                <option value="">{t('inbox.filters.allTeams')}</option>
                {teamList.map((team) => (
                  <option key={team.id} value={team.id}>
                    {team.name}
                  </option>
                ))}
                {filter.teamId !== undefined && !teamList.some((x) => x.id === filter.teamId) && (
                  <option value={filter.teamId}>{t('inbox.assign.otherTeam')}</option>
                )}
              </Select>
            </label>
          )}
        </div>
      </div>

      {selected.size > 0 && (
        <BulkActions
          ids={[...selected]}
          onDone={(failed) => {
            setSelected(new Set(failed));
          }}
          onClear={() => {
            setSelected(new Set());
          }}
        />
      )}

      <div
        id="inbox-list-panel"
        role="tabpanel"
        aria-labelledby={`inbox-tab-${filter.tab}`}
        ref={scrollRef}
        className="min-h-0 flex-1 overflow-y-auto"
        aria-busy={conversations.isFetching}
      >
        {conversations.isError ? (
          <div className="space-y-2 p-3">
            <Alert>{errorMessage(conversations.error, t)}</Alert>
            <Button variant="secondary" size="sm" onClick={() => void conversations.refetch()}>
              {t('common.retry')}
            </Button>
          </div>
        ) : conversations.isPending ? (
          <ListSkeleton />
        ) : rows.length === 0 ? (
          <div className="p-3">
            {noChannels ? (
              <EmptyState
                icon={Settings}
                title={t('inbox.empty.noChannelsTitle')}
                body={isAdmin ? t('inbox.empty.noChannelsAdmin') : t('inbox.empty.noChannels')}
                action={
                  isAdmin ? (
                    <Link to={paths.settings} className="text-[13px] font-medium text-brand-700 underline underline-offset-2">
                      {t('inbox.empty.openSettings')}
                    </Link>
                  ) : undefined
                }
              />
            ) : (
              <EmptyState
                icon={Inbox}
                title={filtered ? t('inbox.empty.filteredTitle') : t(`inbox.empty.${filter.tab}Title`)}
                body={filtered ? t('inbox.empty.filtered') : t(`inbox.empty.${filter.tab}`)}
                action={
                  filtered ? (
                    <Button
                      variant="secondary"
                      size="sm"
                      onClick={() => {
                        setText('');
                        setFilter({ status: 'OPEN', channelId: undefined, teamId: undefined, q: undefined });
                      }}
                    >
                      {t('inbox.empty.clearFilters')}
                    </Button>
                  ) : filter.tab === 'mine' ? (
                    <Button
                      variant="secondary"
                      size="sm"
                      onClick={() => {
                        setFilter({ tab: 'unassigned' });
                      }}
                    >
                      {t('inbox.empty.seeUnassigned')}
                    </Button>
                  ) : undefined
                }
              />
            )}
          </div>
        ) : (
          <ul aria-label={t('inbox.listLabel')} className="relative" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const c = rows[item.index];
              return (
                <li
                  key={c?.id ?? 'loader'}
                  className="absolute inset-x-0 top-0"
                  style={{ height: item.size, transform: `translateY(${item.start}px)` }}
                >
                  {c === undefined ? (
                    <div className="flex h-full items-center justify-center text-xs text-slate-500">{t('common.loading')}</div>
                  ) : (
                    <ConversationListItem
                      conversation={c}
                      active={c.id === activeId}
                      selected={selected.has(c.id)}
                      selecting={selected.size > 0}
                      onToggle={toggle}
                      href={`${paths.inbox}/${c.id}${search ? `?${search}` : ''}`}
                      now={now}
                    />
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </div>
    </section>
  );
}

function ListSkeleton() {
  const { t } = useTranslation();
  return (
    <div className="divide-y divide-slate-100" role="status">
      <span className="sr-only">{t('common.loading')}</span>
      {Array.from({ length: 7 }, (_, i) => (
        <div key={i} className="flex gap-3 px-3 py-3">
          <Skeleton className="size-9 rounded-full" />
          <div className="flex-1 space-y-2">
            <Skeleton className="h-3.5 w-2/5" />
            <Skeleton className="h-3 w-4/5" />
          </div>
        </div>
      ))}
    </div>
  );
}
