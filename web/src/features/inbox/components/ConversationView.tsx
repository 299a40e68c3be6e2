import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, CircleCheck, Hourglass, PanelRight, RotateCcw, UserRound } from 'lucide-react';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { toast } from 'sonner';
import { ChannelIcon } from '@/components/ChannelIcon';
import { Alert } from '@/components/ui/Alert';
import { Avatar } from '@/components/ui/Avatar';
import { Badge, type Tone } from '@/components/ui/Badge';
import { Button } from '@/components/ui/Button';
import { Skeleton } from '@/components/ui/Skeleton';
import { errorMessage } from '@/lib/errorMessage';
import { emitWithAck, onReconnect } from '@/lib/socket';
import { findConversation } from '../api/cache';
import { conversationQueryOptions } from '../api/getConversation';
import type { Conversation, ConversationStatus } from '../api/keys';
import { markConversationRead } from '../api/markRead';
import { useUpdateConversation } from '../api/updateConversation';
import { isPlainShortcut } from '../hooks/shortcuts';
import { useInboxUi } from '../store';
import { ConversationCategories } from '@/features/categories';
import { AssignControls } from './AssignControls';
import { SnoozeControl } from './SnoozeControl';
import { COMPOSER_ID } from '../composerText';
import { Composer } from './Composer';
import { MessageList } from './MessageList';

const STATUS_TONE: Record<ConversationStatus, Tone> = { OPEN: 'green', PENDING: 'amber', RESOLVED: 'neutral' };

export interface ConversationViewProps {
  conversationId: string;
  /** Where "back" goes on narrow screens (the list with its filters). */
  backHref: string;
  contactOpen: boolean;
  onToggleContact: () => void;
}

/** Header with status and assignment, the history, and the composer. */
export function ConversationView({ conversationId, backHref, contactOpen, onToggleContact }: ConversationViewProps) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const conversation = useQuery({
    ...conversationQueryOptions(conversationId),
    placeholderData: () => findConversation(qc, conversationId),
  });
  const setOpen = useInboxUi((s) => s.setOpenConversation);

  // This is the conversation on screen: join its room, read it, and leave when it closes.
  useEffect(() => {
    setOpen(conversationId);
    void emitWithAck('join_conversation', { conversationId });
    markConversationRead(qc, conversationId, 0);
    const offReconnect = onReconnect(() => {
      markConversationRead(qc, conversationId);
    });
    return () => {
      offReconnect();
      setOpen(null);
      void emitWithAck('leave_conversation', { conversationId });
    };
  }, [conversationId, qc, setOpen]);

  const c = conversation.data;
  if (conversation.isError && c === undefined) {
    return (
      <div className="space-y-3 p-4">
        <BackLink href={backHref} />
        <Alert>{errorMessage(conversation.error, t)}</Alert>
      </div>
    );
  }
  if (c === undefined) return <ConversationSkeleton />;

  return (
    <section aria-labelledby="conversation-title" className="flex h-full min-h-0 flex-col bg-white">
      <ConversationHeader conversation={c} backHref={backHref} contactOpen={contactOpen} onToggleContact={onToggleContact} />
      <MessageList key={`messages-${c.id}`} conversationId={c.id} />
      <Composer key={`composer-${c.id}`} conversation={c} />
    </section>
  );
}

function BackLink({ href }: { href: string }) {
  const { t } = useTranslation();
  return (
    <Link
      to={href}
      className="inline-flex size-8 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100 lg:hidden"
      aria-label={t('inbox.backToList')}
      title={t('inbox.backToList')}
    >
      <ArrowLeft aria-hidden="true" className="size-4" />
    </Link>
  );
}

function ConversationHeader({
  conversation: c,
  backHref,
  contactOpen,
  onToggleContact,
}: {
  conversation: Conversation;
  backHref: string;
  contactOpen: boolean;
  onToggleContact: () => void;
}) {
  const { t } = useTranslation();
  const update = useUpdateConversation();
  const name = c.contact.name || c.contact.phone || t('inbox.unknownContact');

  const setStatus = (status: ConversationStatus) => {
    update.mutate(
      { id: c.id, patch: { status } },
      {
        onSuccess: () => toast.success(t(`inbox.actions.done.${status}`)),
        onError: (err) => toast.error(errorMessage(err, t)),
      },
    );
  };

  // e resolves, r focuses the reply box.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isPlainShortcut(e)) return;
      if (e.key === 'e' && c.status !== 'RESOLVED' && !update.isPending) {
        e.preventDefault();
        setStatus('RESOLVED');
      } else if (e.key === 'r') {
        e.preventDefault();
        document.getElementById(COMPOSER_ID)?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  });

  return (
    <header className="border-b border-slate-200 px-2 py-2 sm:px-3">
      <div className="flex items-center gap-2">
        <BackLink href={backHref} />
        <Avatar name={name} seed={c.contact.id} />
        <div className="min-w-0 flex-1">
          <h2 id="conversation-title" className="truncate text-[14px] font-semibold text-slate-900" data-testid="conversation-title">
            {name}
          </h2>
          <p className="flex min-w-0 items-center gap-1.5 text-xs text-slate-500">
            <ChannelIcon type={c.channel.type} className="size-4" />
            <span className="truncate">{c.channel.name}</span>
            {c.contact.phone && <span className="hidden truncate sm:inline">· {c.contact.phone}</span>}
          </p>
        </div>
        <span className="hidden sm:block">
          <Badge tone={STATUS_TONE[c.status]}>
            <span data-testid="conversation-status">{t(`inbox.status.${c.status}`)}</span>
          </Badge>
        </span>
        {c.status === 'RESOLVED' ? (
          <Button
            size="sm"
            variant="secondary"
            onClick={() => {
              setStatus('OPEN');
            }}
            loading={update.isPending}
          >
            {!update.isPending && <RotateCcw aria-hidden="true" className="size-4" />}
            {t('inbox.actions.reopen')}
          </Button>
        ) : (
          <Button
            size="sm"
            onClick={() => {
              setStatus('RESOLVED');
            }}
            loading={update.isPending}
            title={t('inbox.actions.resolveHint')}
          >
            {!update.isPending && <CircleCheck aria-hidden="true" className="size-4" />}
            {t('inbox.actions.resolve')}
          </Button>
        )}
        <Button
          size="icon"
          variant="ghost"
          aria-pressed={contactOpen}
          aria-label={t('inbox.contactPanel.toggle')}
          title={t('inbox.contactPanel.toggle')}
          onClick={onToggleContact}
        >
          <span className="xl:hidden">
            <UserRound aria-hidden="true" className="size-4" />
          </span>
          <span className="hidden xl:inline">
            <PanelRight aria-hidden="true" className="size-4" />
          </span>
        </Button>
      </div>
      <div className="mt-2 flex items-center gap-2 overflow-x-auto sm:flex-wrap">
        <AssignControls conversation={c} />
        <SnoozeControl conversation={c} />
        <ConversationCategories conversationId={c.id} />
        {c.status === 'OPEN' && (
          <Button
            size="sm"
            variant="ghost"
            className="shrink-0"
            onClick={() => {
              setStatus('PENDING');
            }}
            disabled={update.isPending}
            aria-label={t('inbox.actions.pending')}
            title={t('inbox.actions.pending')}
          >
            <Hourglass aria-hidden="true" className="size-4" />
            <span className="hidden sm:inline">{t('inbox.actions.pending')}</span>
          </Button>
        )}
        {c.status === 'PENDING' && (
          <Button
            size="sm"
            variant="ghost"
            className="shrink-0"
            onClick={() => {
              setStatus('OPEN');
            }}
            disabled={update.isPending}
            aria-label={t('inbox.actions.open')}
            title={t('inbox.actions.open')}
          >
            <RotateCcw aria-hidden="true" className="size-4" />
            <span className="hidden sm:inline">{t('inbox.actions.open')}</span>
          </Button>
        )}
      </div>
    </header>
  );
}

function ConversationSkeleton() {
  const { t } = useTranslation();
  return (
    <div className="flex h-full flex-col bg-white" role="status">
      <span className="sr-only">{t('common.loading')}</span>
      <div className="flex items-center gap-3 border-b border-slate-200 p-3">
        <Skeleton className="size-9 rounded-full" />
        <div className="flex-1 space-y-2">
          <Skeleton className="h-3.5 w-40" />
          <Skeleton className="h-3 w-24" />
        </div>
      </div>
      <div className="flex-1 space-y-3 bg-slate-50 p-4">
        <Skeleton className="h-10 w-2/3 rounded-2xl" />
        <Skeleton className="ml-auto h-10 w-1/2 rounded-2xl" />
      </div>
    </div>
  );
}
