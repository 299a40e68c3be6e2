import { MessagesSquare } from 'lucide-react';
import { Fragment, useCallback, useEffect, useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { toast } from 'sonner';
import { useShallow } from 'zustand/react/shallow';
import { Alert } from '@/components/ui/Alert';
import { Button } from '@/components/ui/Button';
import { Skeleton } from '@/components/ui/Skeleton';
import { useSession } from '@/features/auth';
import { errorMessage } from '@/lib/errorMessage';
import { dayKey, formatLongDate } from '@/lib/format';
import { useNow } from '@/lib/useNow';
import type { Message } from '../api/keys';
import { useMessages } from '../api/listMessages';
import { useRetryMessage } from '../api/retryMessage';
import { useSendMessage } from '../api/sendMessage';
import { useOutbox, type OutboxItem } from '../store';
import { ActivityLine } from './ActivityLine';
import { MessageBubble, type DisplayMessage } from './MessageBubble';

const NEAR_BOTTOM_PX = 120;
const LOAD_OLDER_PX = 160;
/** Older pages loaded at most while looking for the message a search result jumps to. */
const JUMP_MAX_PAGES = 40;

/** The `?message=` of a jump from search, when it looks like a message id. */
function jumpTarget(search: URLSearchParams): string | null {
  const id = search.get('message');
  return id !== null && /^[0-9a-f-]{36}$/i.test(id) ? id : null;
}

function toDisplay(item: OutboxItem, me: { id: string; name: string } | null): DisplayMessage {
  return {
    id: item.clientId,
    conversationId: item.conversationId,
    channelId: '',
    senderType: 'AGENT',
    sender: me,
    contactId: null,
    content: item.content,
    contentType: 'text',
    attachments: item.attachments.map((a) => ({ id: a.id, url: a.url, mimeType: a.contentType, fileName: a.fileName, size: a.size })),
    status: item.state === 'failed' ? 'FAILED' : item.isPrivate ? 'SENT' : 'PENDING',
    failureReason: null,
    failureCode: null,
    deliveryAttempts: 0,
    maxDeliveryAttempts: 0,
    isPrivate: item.isPrivate,
    createdAt: item.createdAt,
    local: { clientId: item.clientId, ...(item.errorCode !== undefined ? { errorCode: item.errorCode } : {}) },
  };
}

/**
 * The history, oldest at the top: day separators, bubbles, our optimistic messages at
 * the end. Scrolling near the top loads older pages and keeps the view where it was;
 * new messages scroll into view when the reader is at the bottom.
 */
export function MessageList({ conversationId }: { conversationId: string }) {
  const { t, i18n } = useTranslation();
  const messages = useMessages(conversationId);
  const user = useSession((s) => s.user);
  const me = useMemo(() => (user ? { id: user.id, name: user.name } : null), [user]);
  const outbox = useOutbox(useShallow((s) => s.items.filter((i) => i.conversationId === conversationId)));
  const retry = useRetryMessage();
  const now = useNow(60_000);
  const { resend } = useSendMessage();

  const server = useMemo(() => {
    const out: Message[] = [];
    const pages = messages.data?.pages ?? [];
    for (let p = pages.length - 1; p >= 0; p -= 1) {
      const page = pages[p];
      if (page === undefined) continue;
      for (let i = page.messages.length - 1; i >= 0; i -= 1) {
        const m = page.messages[i];
        if (m !== undefined) out.push(m);
      }
    }
    return out;
  }, [messages.data]);

  const display = useMemo<DisplayMessage[]>(() => {
    const ids = new Set(server.map((m) => m.id));
    const locals = outbox.filter((i) => i.serverId === undefined || !ids.has(i.serverId)).map((i) => toDisplay(i, me));
    return [...server, ...locals];
  }, [server, outbox, me]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const contentRef = useRef<HTMLDivElement>(null);
  const nearBottom = useRef(true);
  const anchor = useRef<{ height: number; top: number } | null>(null);
  const initialDone = useRef(false);
  const lastNewest = useRef<string | undefined>(undefined);
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = messages;

  const loadOlder = useCallback(() => {
    const el = scrollRef.current;
    if (el === null || !hasNextPage || isFetchingNextPage) return;
    anchor.current = { height: el.scrollHeight, top: el.scrollTop };
    void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (el === null) return;
    nearBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM_PX;
    if (el.scrollTop < LOAD_OLDER_PX) loadOlder();
  };

  const oldestId = display[0]?.id;
  const newest = display[display.length - 1];
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el === null || display.length === 0) return;
    if (!initialDone.current) {
      el.scrollTop = el.scrollHeight;
      initialDone.current = true;
      lastNewest.current = newest?.id;
      return;
    }
    if (anchor.current !== null) {
      // Older messages were added above: stay on the message the reader was looking at.
      el.scrollTop = anchor.current.top + (el.scrollHeight - anchor.current.height);
      anchor.current = null;
    }
    if (newest?.id !== lastNewest.current) {
      lastNewest.current = newest?.id;
      const mine = newest?.local !== undefined || (newest?.senderType === 'AGENT' && newest.sender?.id === me?.id);
      if (nearBottom.current || mine) el.scrollTop = el.scrollHeight;
    }
  }, [display.length, oldestId, newest, me?.id]);

  // Images and media load after the first paint: keep the bottom in view while reading there.
  useEffect(() => {
    const content = contentRef.current;
    const el = scrollRef.current;
    if (content === null || el === null || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => {
      if (nearBottom.current && anchor.current === null) el.scrollTop = el.scrollHeight;
    });
    ro.observe(content);
    return () => {
      ro.disconnect();
    };
  }, []);

  // A jump from search (`?message=`): load older pages until the message is there,
  // then bring it to the middle of the view and mark it for a moment.
  const [searchParams] = useSearchParams();
  const target = jumpTarget(searchParams);
  const jumped = useRef<string | null>(null);
  const pagesLoaded = useRef(0);
  const targetShown = target !== null && display.some((m) => m.id === target);
  useEffect(() => {
    if (target === null || jumped.current === target || messages.isPending) return;
    if (!targetShown) {
      if (hasNextPage && !isFetchingNextPage && pagesLoaded.current < JUMP_MAX_PAGES) {
        pagesLoaded.current += 1;
        void fetchNextPage();
      } else if (!hasNextPage || pagesLoaded.current >= JUMP_MAX_PAGES) {
        jumped.current = target;
        toast.info(t('search.jumpNotFound'));
      }
      return;
    }
    jumped.current = target;
    const row = scrollRef.current?.querySelector(`[data-row-id="${target}"]`);
    if (!(row instanceof HTMLElement)) return;
    nearBottom.current = false;
    if ('scrollIntoView' in row) row.scrollIntoView({ block: 'center' });
    row.dataset.jumped = 'true';
    const id = setTimeout(() => {
      delete row.dataset.jumped;
    }, 2500);
    return () => {
      clearTimeout(id);
    };
  }, [target, targetShown, hasNextPage, isFetchingNextPage, fetchNextPage, messages.isPending, t]);

  const onRetry = useCallback(
    (m: DisplayMessage) => {
      if (m.local !== undefined) {
        void resend(m.local.clientId);
        return;
      }
      retry.mutate(m, { onError: (err) => toast.error(errorMessage(err, t)) });
    },
    [resend, retry, t],
  );

  const today = dayKey(now);
  const yesterday = dayKey(new Date(now.getTime() - 86_400_000));
  const dayLabel = (value: string) => {
    const key = dayKey(value);
    if (key === today) return t('inbox.day.today');
    if (key === yesterday) return t('inbox.day.yesterday');
    return formatLongDate(value, i18n.language);
  };

  let body: ReactNode;
  if (messages.isError) {
    body = (
      <div className="space-y-2 p-4">
        <Alert>{errorMessage(messages.error, t)}</Alert>
        <Button variant="secondary" size="sm" onClick={() => void messages.refetch()}>
          {t('common.retry')}
        </Button>
      </div>
    );
  } else if (messages.isPending) {
    body = (
      <div className="space-y-3 p-4" role="status">
        <span className="sr-only">{t('common.loading')}</span>
        <Skeleton className="h-10 w-2/3 rounded-2xl" />
        <Skeleton className="ml-auto h-10 w-1/2 rounded-2xl" />
        <Skeleton className="h-14 w-3/5 rounded-2xl" />
        <Skeleton className="ml-auto h-10 w-2/5 rounded-2xl" />
      </div>
    );
  } else if (display.length === 0) {
    body = (
      <div className="flex h-full flex-col items-center justify-center gap-2 p-6 text-center text-[13px] text-slate-500">
        <MessagesSquare aria-hidden="true" className="size-6 text-slate-400" />
        {t('inbox.noMessagesYet')}
      </div>
    );
  } else {
    let lastDay = '';
    body = (
      <div className="px-3 py-3 sm:px-5">
        {hasNextPage ? (
          <div className="flex justify-center pb-2">
            <Button variant="ghost" size="sm" onClick={loadOlder} loading={isFetchingNextPage}>
              {t('inbox.loadOlder')}
            </Button>
          </div>
        ) : (
          <p className="pb-3 text-center text-[11px] text-slate-400">{t('inbox.startOfConversation')}</p>
        )}
        {display.map((m) => {
          const day = dayKey(m.createdAt);
          const separator = day !== lastDay;
          lastDay = day;
          return (
            <Fragment key={m.local?.clientId ?? m.id}>
              {separator && (
                <div className="sticky top-0 z-10 flex justify-center py-2" role="separator" aria-label={dayLabel(m.createdAt)}>
                  <span className="rounded-full border border-slate-200 bg-white/95 px-3 py-0.5 text-[11px] font-medium text-slate-600 shadow-sm">
                    {dayLabel(m.createdAt)}
                  </span>
                </div>
              )}
              <div
                data-row-id={m.id}
                className="rounded-xl transition-colors duration-700 data-[jumped=true]:bg-amber-100/80 data-[jumped=true]:ring-2 data-[jumped=true]:ring-amber-300"
              >
                {m.activity ? (
                  <ActivityLine activity={m.activity} createdAt={m.createdAt} />
                ) : (
                  <MessageBubble message={m} onRetry={onRetry} retrying={retry.isPending && retry.variables.id === m.id} />
                )}
              </div>
            </Fragment>
          );
        })}
      </div>
    );
  }

  return (
    <div
      ref={scrollRef}
      onScroll={onScroll}
      className="min-h-0 flex-1 overflow-y-auto bg-slate-50"
      role="log"
      aria-label={t('inbox.messagesLabel')}
      aria-busy={messages.isFetching}
      data-testid="message-list"
    >
      <div ref={contentRef}>{body}</div>
    </div>
  );
}
