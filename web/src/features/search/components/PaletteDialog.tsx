import * as RadixDialog from '@radix-ui/react-dialog';
import { ChevronDown, Contact, Lock, MessageSquareText, MessagesSquare, Search } from 'lucide-react';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ChannelIcon } from '@/components/ChannelIcon';
import { RelativeTime } from '@/components/RelativeTime';
import { Spinner } from '@/components/ui/Spinner';
import { cn } from '@/lib/cn';
import { errorMessage } from '@/lib/errorMessage';
import { useDebounced } from '@/lib/useDebounced';
import { paths } from '@/paths';
import {
  searchable,
  useSearchKind,
  useSearchOverview,
  type ContactHit,
  type ConversationHit,
  type MessageHit,
  type SearchKind,
  type SearchResults,
} from '../api/search';
import { messageHref } from '../href';
import { Highlighted } from './Highlighted';

interface Option {
  key: string;
  href?: string;
  /** Shows every result of a kind instead of navigating. */
  expand?: SearchKind;
  /** Loads the next page of the expanded kind. */
  loadMore?: boolean;
  node: ReactNode;
}

interface Section {
  kind: SearchKind;
  options: Option[];
}

/** The palette itself, loaded on first use (its own chunk, with the dialog library). */
export function PaletteDialog({ onClose, returnFocus }: { onClose: () => void; returnFocus: () => void }) {
  return (
    <RadixDialog.Root
      open
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
    >
      <PaletteContent onDone={onClose} returnFocus={returnFocus} />
    </RadixDialog.Root>
  );
}

function PaletteContent({ onDone, returnFocus }: { onDone: () => void; returnFocus: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [text, setText] = useState('');
  const [expanded, setExpanded] = useState<SearchKind | null>(null);
  const [activeAt, setActiveAt] = useState({ scope: '', index: 0 });
  const q = useDebounced(text, 180);
  const overview = useSearchOverview(q);
  const more = useSearchKind(expanded, q);
  const listId = useId();
  const listRef = useRef<HTMLDivElement>(null);

  const sections = useMemo<Section[]>(() => {
    if (!searchable(q)) return [];
    if (expanded !== null) {
      const pages = more.data?.pages ?? [];
      const options = pages.flatMap((page) => optionsOf(expanded, page));
      if (more.hasNextPage) options.push({ key: 'load-more', loadMore: true, node: <MoreRow label={t('search.loadMore')} /> });
      return [{ kind: expanded, options }];
    }
    const data = overview.data;
    if (data === undefined) return [];
    return (['contacts', 'conversations', 'messages'] as const)
      .map((kind) => {
        const options = optionsOf(kind, data);
        if (data.more[kind]) options.push({ key: `more-${kind}`, expand: kind, node: <MoreRow label={t(`search.more.${kind}`)} /> });
        return { kind, options };
      })
      .filter((s) => s.options.length > 0);
  }, [q, expanded, more.data, more.hasNextPage, overview.data, t]);

  const options = useMemo(() => sections.flatMap((s) => s.options), [sections]);
  // A new query or kind starts again at the first option.
  const scope = `${q}|${expanded ?? ''}`;
  const active = activeAt.scope === scope ? activeAt.index : 0;
  const setActive = (index: number) => {
    setActiveAt({ scope, index });
  };
  const current = Math.min(active, Math.max(options.length - 1, 0));
  const optionId = (i: number) => `${listId}-option-${i}`;
  const currentId = optionId(current);

  useEffect(() => {
    const el = document.getElementById(currentId);
    if (el !== null && 'scrollIntoView' in el) el.scrollIntoView({ block: 'nearest' });
  }, [currentId]);

  const choose = (option: Option | undefined) => {
    if (option === undefined) return;
    if (option.expand !== undefined) {
      setExpanded(option.expand);
      return;
    }
    if (option.loadMore) {
      void more.fetchNextPage();
      return;
    }
    if (option.href !== undefined) {
      onDone();
      void navigate(option.href);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (options.length === 0) return;
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((current + step + options.length) % options.length);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(options[current]);
    } else if (e.key === 'Backspace' && text === '' && expanded !== null) {
      setExpanded(null);
    }
  };

  const loading = searchable(q) && (expanded === null ? overview.isFetching : more.isFetching);
  const error = expanded === null ? overview.error : more.error;
  let index = -1;

  return (
    <RadixDialog.Portal>
      <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/40 data-[state=open]:animate-[fade-in_120ms_ease-out]" />
      <RadixDialog.Content
        aria-describedby={undefined}
        onCloseAutoFocus={(e) => {
          e.preventDefault();
          returnFocus();
        }}
        className={cn(
          'fixed inset-x-0 top-0 z-50 flex max-h-[100dvh] flex-col overflow-hidden border border-slate-200 bg-white shadow-2xl',
          'sm:inset-x-auto sm:left-1/2 sm:top-[10vh] sm:max-h-[75vh] sm:w-full sm:max-w-xl sm:-translate-x-1/2 sm:rounded-xl',
          'focus:outline-none data-[state=open]:animate-[pop-in_140ms_ease-out]',
        )}
        data-testid="search-palette"
      >
        <RadixDialog.Title className="sr-only">{t('search.title')}</RadixDialog.Title>
        <div className="flex items-center gap-2 border-b border-slate-200 px-3">
          <Search aria-hidden="true" className="size-4 shrink-0 text-slate-400" />
          {expanded !== null && (
            <button
              type="button"
              onClick={() => {
                setExpanded(null);
              }}
              className="shrink-0 rounded bg-brand-50 px-1.5 py-0.5 text-[11px] font-medium text-brand-700 hover:bg-brand-100"
              title={t('search.backToAll')}
            >
              {t(`search.sections.${expanded}`)} ×
            </button>
          )}
          <input
            autoFocus
            value={text}
            onChange={(e) => {
              setText(e.target.value);
            }}
            onKeyDown={onKeyDown}
            placeholder={t('search.placeholder')}
            aria-label={t('search.title')}
            role="combobox"
            aria-expanded={options.length > 0}
            aria-controls={listId}
            aria-autocomplete="list"
            aria-activedescendant={options.length > 0 ? optionId(current) : undefined}
            className="h-12 min-w-0 flex-1 bg-transparent text-[15px] text-slate-900 placeholder:text-slate-400 focus:outline-none"
            data-testid="search-input"
          />
          {loading && <Spinner className="size-4 text-slate-400" />}
        </div>
        <div ref={listRef} id={listId} role="listbox" aria-label={t('search.results')} className="min-h-0 flex-1 overflow-y-auto py-1">
          {!searchable(q) ? (
            <p className="px-4 py-6 text-center text-[13px] text-slate-500">{t('search.hint')}</p>
          ) : error ? (
            <p className="px-4 py-6 text-center text-[13px] text-red-700">{errorMessage(error, t)}</p>
          ) : options.length === 0 && !loading ? (
            <p className="px-4 py-6 text-center text-[13px] text-slate-500" data-testid="search-empty">
              {t('search.empty', { q: q.trim() })}
            </p>
          ) : (
            sections.map((section) => (
              <div key={section.kind} role="group" aria-labelledby={`${listId}-${section.kind}`}>
                <p id={`${listId}-${section.kind}`} className="px-4 pb-1 pt-2 text-[11px] font-semibold uppercase tracking-wide text-slate-500">
                  {t(`search.sections.${section.kind}`)}
                </p>
                {section.options.map((option) => {
                  index += 1;
                  const i = index;
                  return (
                    <div
                      key={option.key}
                      id={optionId(i)}
                      role="option"
                      aria-selected={i === current}
                      data-testid="search-option"
                      data-kind={option.href === undefined ? 'more' : section.kind}
                      onMouseMove={() => {
                        if (i !== current) setActive(i);
                      }}
                      onClick={() => {
                        choose(option);
                      }}
                      className={cn('mx-1 cursor-pointer rounded-md px-3 py-2', i === current ? 'bg-brand-50' : 'hover:bg-slate-50')}
                    >
                      {option.node}
                    </div>
                  );
                })}
              </div>
            ))
          )}
        </div>
        <div className="hidden items-center gap-3 border-t border-slate-200 px-4 py-2 text-[11px] text-slate-500 sm:flex">
          <span>
            <kbd className="font-sans">↑↓</kbd> {t('search.keys.move')}
          </span>
          <span>
            <kbd className="font-sans">↵</kbd> {t('search.keys.open')}
          </span>
          <span>
            <kbd className="font-sans">Esc</kbd> {t('search.keys.close')}
          </span>
        </div>
      </RadixDialog.Content>
    </RadixDialog.Portal>
  );
}

function optionsOf(kind: SearchKind, page: SearchResults): Option[] {
  switch (kind) {
    case 'contacts':
      return page.contacts.map((hit) => ({
        key: `contact-${hit.contact.id}`,
        href: `${paths.contacts}/${hit.contact.id}`,
        node: <ContactRow hit={hit} />,
      }));
    case 'conversations':
      return page.conversations.map((hit) => ({
        key: `conversation-${hit.conversation.id}`,
        href: `${paths.inbox}/${hit.conversation.id}`,
        node: <ConversationRow hit={hit} />,
      }));
    case 'messages':
      return page.messages.map((hit) => ({
        key: `message-${hit.messageId}`,
        href: messageHref(hit),
        node: <MessageRow hit={hit} />,
      }));
  }
}

function Row({ icon, title, detail, aside }: { icon: ReactNode; title: ReactNode; detail?: ReactNode; aside?: ReactNode }) {
  return (
    <div className="flex min-w-0 items-start gap-3">
      <span className="mt-0.5 shrink-0">{icon}</span>
      <span className="min-w-0 flex-1">
        <span className="flex items-baseline gap-2">
          <span className="min-w-0 flex-1 truncate text-[13px] font-medium text-slate-900">{title}</span>
          {aside}
        </span>
        {detail !== undefined && <span className="mt-0.5 block truncate text-[12px] text-slate-600">{detail}</span>}
      </span>
    </div>
  );
}

function ContactRow({ hit }: { hit: ContactHit }) {
  return (
    <Row
      icon={<Contact aria-hidden="true" className="size-4 text-slate-400" />}
      title={<Highlighted parts={hit.name} fallback={hit.contact.name} />}
      detail={hit.detail.length > 0 ? <Highlighted parts={hit.detail} /> : undefined}
    />
  );
}

function ConversationRow({ hit }: { hit: ConversationHit }) {
  const { t } = useTranslation();
  const c = hit.conversation;
  return (
    <Row
      icon={<MessagesSquare aria-hidden="true" className="size-4 text-slate-400" />}
      title={<Highlighted parts={hit.title} fallback={c.contact.name || t('inbox.unknownContact')} />}
      detail={
        <span className="flex items-center gap-1.5">
          <ChannelIcon type={c.channel.type} name={c.channel.name} className="size-4" />
          <span className="truncate">{c.lastMessagePreview ?? t('inbox.noMessages')}</span>
        </span>
      }
      aside={<span className="shrink-0 text-[11px] text-slate-500">{t(`inbox.status.${c.status}`)}</span>}
    />
  );
}

function MessageRow({ hit }: { hit: MessageHit }) {
  const { t } = useTranslation();
  return (
    <Row
      icon={<MessageSquareText aria-hidden="true" className="size-4 text-slate-400" />}
      title={
        <span className="flex items-center gap-1.5">
          <ChannelIcon type={hit.channel.type} name={hit.channel.name} className="size-4" />
          <span className="truncate">{hit.contact.name || t('inbox.unknownContact')}</span>
          {hit.isPrivate && (
            <span className="inline-flex shrink-0 items-center gap-0.5 rounded bg-amber-100 px-1 text-[10px] font-medium text-amber-800">
              <Lock aria-hidden="true" className="size-2.5" />
              {t('search.privateNote')}
            </span>
          )}
        </span>
      }
      detail={
        <span className="whitespace-normal line-clamp-2">
          {hit.senderType === 'AGENT' && <span className="text-slate-500">{t('search.agent')}: </span>}
          <Highlighted parts={hit.snippet} />
        </span>
      }
      aside={<RelativeTime value={hit.createdAt} now={new Date()} className="shrink-0 text-[11px] text-slate-500" />}
    />
  );
}

function MoreRow({ label }: { label: string }) {
  return (
    <span className="flex items-center gap-2 text-[13px] font-medium text-brand-700">
      <ChevronDown aria-hidden="true" className="size-4" />
      {label}
    </span>
  );
}
