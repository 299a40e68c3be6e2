import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Keyboard, MessagesSquare } from 'lucide-react';
import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { Button } from '@/components/ui/Button';
import { cn } from '@/lib/cn';
import { useMediaQuery } from '@/lib/useMediaQuery';
import { paths } from '@/paths';
import { findConversation } from '../api/cache';
import { conversationQueryOptions } from '../api/getConversation';
import { isPlainShortcut, isTypingTarget } from '../hooks/shortcuts';
import { useInboxFilter } from '../hooks/useInboxFilter';
import { useInboxUi } from '../store';
import { ConversationList } from './ConversationList';
import { ConversationView } from './ConversationView';
import { NotificationBanner } from './NotificationBanner';

// Not needed for the first paint: the contact sheet and the shortcuts dialog (the
// contact panel is handed in, and the contacts feature loads it on demand).
const ContactSheet = lazy(() => import('./ContactSheet').then((m) => ({ default: m.ContactSheet })));
const ShortcutsHelp = lazy(() => import('./ShortcutsHelp').then((m) => ({ default: m.ShortcutsHelp })));

/**
 * The contact beside the open conversation: the contacts feature's panel, handed in by
 * the app. The inbox does not import contacts, because contacts imports the inbox (a
 * contact's conversations, and its edits patch the conversation cache).
 */
export type ContactPanelComponent = ComponentType<{ contactId: string; currentConversationId: string }>;

const PANEL_KEY = 'atende.inbox.contactPanel';

function storedPanel(): boolean {
  try {
    return localStorage.getItem(PANEL_KEY) !== '0';
  } catch {
    return true;
  }
}

/**
 * `/inbox` and `/inbox/:conversationId`: list, conversation and contact side by side on
 * wide screens; one at a time (list → conversation → contact) on phones.
 */
export function InboxPage({ contactPanel }: { contactPanel: ContactPanelComponent }) {
  const { t } = useTranslation();
  const { conversationId } = useParams();
  const { filter, setFilter, search } = useInboxFilter();
  const navigate = useNavigate();
  const wide = useMediaQuery('(min-width: 1280px)');
  const [panel, setPanel] = useState(storedPanel);
  const [sheet, setSheet] = useState(false);
  const [help, setHelp] = useState(false);
  const listHref = `${paths.inbox}${search ? `?${search}` : ''}`;

  const toggleContact = () => {
    if (!wide) {
      setSheet(true);
      return;
    }
    setPanel((open) => {
      try {
        localStorage.setItem(PANEL_KEY, open ? '0' : '1');
      } catch {
        // Not remembered: fine.
      }
      return !open;
    });
  };

  // j / k (or Alt+↓ / Alt+↑ anywhere) walk the list; ? shows the shortcuts.
  useEffect(() => {
    const go = (step: 1 | -1) => {
      const ids = useInboxUi.getState().listIds;
      if (ids.length === 0) return;
      const at = conversationId === undefined ? -1 : ids.indexOf(conversationId);
      const next = ids[at === -1 ? (step === 1 ? 0 : ids.length - 1) : Math.min(ids.length - 1, Math.max(0, at + step))];
      if (next !== undefined && next !== conversationId) void navigate(`${paths.inbox}/${next}${search ? `?${search}` : ''}`);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && !e.metaKey && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) {
        e.preventDefault();
        go(e.key === 'ArrowDown' ? 1 : -1);
        return;
      }
      if (e.key === '?' && !isTypingTarget(e.target) && !e.ctrlKey && !e.metaKey) {
        e.preventDefault();
        setHelp(true);
        return;
      }
      if (!isPlainShortcut(e)) return;
      if (e.key === 'j') {
        e.preventDefault();
        go(1);
      } else if (e.key === 'k') {
        e.preventDefault();
        go(-1);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [conversationId, navigate, search]);

  return (
    <div className="flex h-[calc(100dvh-7rem)] min-h-0 sm:h-[calc(100dvh-3rem)]">
      <div
        className={cn(
          'min-h-0 w-full flex-col border-slate-200 lg:flex lg:w-[340px] lg:shrink-0 lg:border-r',
          conversationId ? 'hidden' : 'flex',
        )}
      >
        <NotificationBanner />
        <div className="min-h-0 flex-1">
          <ConversationList filter={filter} setFilter={setFilter} activeId={conversationId} search={search} />
        </div>
        <div className="hidden border-t border-slate-200 bg-white px-3 py-1.5 lg:block">
          <button
            type="button"
            onClick={() => {
              setHelp(true);
            }}
            className="inline-flex items-center gap-1.5 rounded text-xs text-slate-500 hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-brand-600"
          >
            <Keyboard aria-hidden="true" className="size-3.5" />
            {t('inbox.shortcuts.open')}
          </button>
        </div>
      </div>

      <div className={cn('min-h-0 min-w-0 flex-1 flex-col', conversationId ? 'flex' : 'hidden lg:flex')}>
        {conversationId ? (
          <ConversationView
            key={conversationId}
            conversationId={conversationId}
            backHref={listHref}
            contactOpen={wide ? panel : sheet}
            onToggleContact={toggleContact}
          />
        ) : (
          <div className="flex h-full flex-col items-center justify-center gap-3 bg-slate-50 p-6 text-center">
            <MessagesSquare aria-hidden="true" className="size-8 text-brand-600" />
            <p className="text-sm font-medium text-slate-800">{t('inbox.pickConversation')}</p>
            <p className="max-w-xs text-[13px] text-slate-600">{t('inbox.pickConversationHint')}</p>
            <Button
              variant="ghost"
              size="sm"
              onClick={() => {
                setHelp(true);
              }}
            >
              <Keyboard aria-hidden="true" className="size-4" />
              {t('inbox.shortcuts.open')}
            </Button>
          </div>
        )}
      </div>

      {conversationId && wide && panel && (
        <aside aria-label={t('inbox.contactPanel.label')} className="w-[320px] shrink-0 overflow-y-auto border-l border-slate-200 bg-white">
          <ConversationContact conversationId={conversationId} panel={contactPanel} />
        </aside>
      )}
      {conversationId && !wide && sheet && (
        <Suspense fallback={null}>
          <ContactSheet open={sheet} onOpenChange={setSheet}>
            <ConversationContact conversationId={conversationId} panel={contactPanel} />
          </ContactSheet>
        </Suspense>
      )}
      {help && (
        <Suspense fallback={null}>
          <ShortcutsHelp open={help} onOpenChange={setHelp} />
        </Suspense>
      )}
    </div>
  );
}

/** The open conversation's contact (the conversation query is shared with the view). */
function ConversationContact({ conversationId, panel: ContactPanel }: { conversationId: string; panel: ContactPanelComponent }) {
  const qc = useQueryClient();
  const conversation = useQuery({
    ...conversationQueryOptions(conversationId),
    placeholderData: () => findConversation(qc, conversationId),
  });
  const contactId = conversation.data?.contact.id;
  if (contactId === undefined) return null;
  return (
    <Suspense fallback={null}>
      <ContactPanel contactId={contactId} currentConversationId={conversationId} />
    </Suspense>
  );
}
