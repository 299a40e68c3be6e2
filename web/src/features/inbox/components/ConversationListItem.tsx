import { memo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ChannelIcon } from '@/components/ChannelIcon';
import { RelativeTime } from '@/components/RelativeTime';
import { Avatar } from '@/components/ui/Avatar';
import { cn } from '@/lib/cn';
import type { Conversation } from '../api/keys';
import { formatSnooze, isSnoozed } from '../snooze';

export interface ConversationListItemProps {
  conversation: Conversation;
  active: boolean;
  selected: boolean;
  /** Some row is selected: show every checkbox. */
  selecting: boolean;
  onToggle: (id: string) => void;
  href: string;
  now: Date;
}

/** One row: contact, channel, snippet, time, unread badge; a checkbox for bulk actions. */
export const ConversationListItem = memo(function ConversationListItem({
  conversation: c,
  active,
  selected,
  selecting,
  onToggle,
  href,
  now,
}: ConversationListItemProps) {
  const { t, i18n } = useTranslation();
  const unread = c.unreadCount ?? 0;
  const snoozed = isSnoozed(c.snoozedUntil, now);
  const name = c.contact.name || c.contact.phone || c.contact.email || t('inbox.unknownContact');
  return (
    <div
      data-testid="conversation-row"
      data-conversation-id={c.id}
      className={cn(
        'group relative flex h-full items-stretch border-b border-slate-100',
        active ? 'bg-brand-50' : selected ? 'bg-slate-50' : 'hover:bg-slate-50',
      )}
    >
      {active && <span aria-hidden="true" className="absolute inset-y-0 left-0 w-0.5 bg-brand-600" />}
      <label
        className={cn(
          'flex w-8 shrink-0 cursor-pointer items-center justify-center pl-1',
          selecting || selected ? 'opacity-100' : 'opacity-0 focus-within:opacity-100 group-hover:opacity-100',
        )}
      >
        <span className="sr-only">{t('inbox.select', { name })}</span>
        <input
          type="checkbox"
          checked={selected}
          onChange={() => {
            onToggle(c.id);
          }}
          className="size-4 rounded border-slate-300 accent-brand-600"
        />
      </label>
      <Link
        to={href}
        aria-current={active ? 'page' : undefined}
        className="flex min-w-0 flex-1 items-center gap-3 py-2 pr-3 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-600"
      >
        <span className="relative">
          <Avatar name={name} seed={c.contact.id} />
          <ChannelIcon type={c.channel.type} name={c.channel.name} className="absolute -bottom-1 -right-1 size-4 ring-2 ring-white" />
        </span>
        <span className="min-w-0 flex-1">
          <span className="flex items-baseline gap-2">
            <span className={cn('min-w-0 flex-1 truncate text-[13px] text-slate-900', unread > 0 ? 'font-semibold' : 'font-medium')}>
              {name}
            </span>
            <RelativeTime value={c.lastActivityAt} now={now} className="shrink-0 text-[11px] text-slate-500" />
          </span>
          <span className="mt-0.5 flex items-center gap-2">
            <span className={cn('min-w-0 flex-1 truncate text-[13px]', unread > 0 ? 'text-slate-800' : 'text-slate-500')}>
              {c.lastMessagePreview ?? <span className="italic">{t('inbox.noMessages')}</span>}
            </span>
            {unread > 0 && (
              <span
                className="inline-flex min-w-5 shrink-0 items-center justify-center rounded-full bg-brand-600 px-1.5 text-[11px] font-semibold leading-5 text-white"
                aria-label={t('inbox.unread', { count: unread })}
                data-testid="unread-badge"
              >
                {unread > 99 ? '99+' : unread}
              </span>
            )}
          </span>
          {(c.status !== 'OPEN' || c.assignee || snoozed) && (
            <span className="mt-0.5 flex items-center gap-1.5 text-[11px] text-slate-500">
              {snoozed && c.snoozedUntil && (
                <span
                  className="shrink-0 rounded bg-amber-100 px-1 font-medium text-amber-800"
                  title={t('inbox.snooze.until', { when: formatSnooze(c.snoozedUntil, i18n.language) })}
                  data-testid="snoozed-badge"
                >
                  {t('inbox.snooze.badge')}
                </span>
              )}
              {c.status !== 'OPEN' && <span className="font-medium">{t(`inbox.status.${c.status}`)}</span>}
              {c.status !== 'OPEN' && c.assignee && <span aria-hidden="true">·</span>}
              {c.assignee && <span className="truncate">{c.assignee.name}</span>}
            </span>
          )}
        </span>
      </Link>
    </div>
  );
});
