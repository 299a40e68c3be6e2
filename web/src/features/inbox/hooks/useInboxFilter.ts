import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { INBOX_TABS, STATUS_FILTERS, type ConversationFilter, type InboxTab, type StatusFilter } from '../api/keys';

const TAB_KEY = 'atende.inbox.tab';

function storedTab(): InboxTab {
  try {
    const v = localStorage.getItem(TAB_KEY);
    return (INBOX_TABS as readonly string[]).includes(v ?? '') ? (v as InboxTab) : 'mine';
  } catch {
    return 'mine';
  }
}

/** Parses the list's filter from the URL (`?tab=&status=&channel=&team=&q=`); the tab is remembered. */
export function parseFilter(params: URLSearchParams): ConversationFilter {
  const tab = params.get('tab');
  const status = params.get('status');
  const channelId = params.get('channel') ?? undefined;
  const teamId = params.get('team') ?? undefined;
  const q = params.get('q') ?? undefined;
  return {
    tab: (INBOX_TABS as readonly string[]).includes(tab ?? '') ? (tab as InboxTab) : storedTab(),
    status: (STATUS_FILTERS as readonly string[]).includes(status ?? '') ? (status as StatusFilter) : 'OPEN',
    ...(channelId ? { channelId } : {}),
    ...(teamId ? { teamId } : {}),
    ...(q ? { q } : {}),
  };
}

export function useInboxFilter() {
  const [params, setParams] = useSearchParams();
  const filter = useMemo(() => parseFilter(params), [params]);
  const setFilter = useCallback(
    (patch: Partial<ConversationFilter>) => {
      if (patch.tab !== undefined) {
        try {
          localStorage.setItem(TAB_KEY, patch.tab);
        } catch {
          // Not remembered: fine.
        }
      }
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          const set = (key: string, value: string | undefined) => {
            if (value) next.set(key, value);
            else next.delete(key);
          };
          if ('tab' in patch) set('tab', patch.tab);
          if ('status' in patch) set('status', patch.status === 'OPEN' ? undefined : patch.status);
          if ('channelId' in patch) set('channel', patch.channelId);
          if ('teamId' in patch) set('team', patch.teamId);
          if ('q' in patch) set('q', patch.q?.trim() || undefined);
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return { filter, setFilter, search: params.toString() };
}
