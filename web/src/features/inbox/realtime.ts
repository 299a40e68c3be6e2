import type { QueryClient } from '@tanstack/react-query';
import { useSession } from '@/features/auth';
import { emitWithAck, onReconnect, onSocketEvent } from '@/lib/socket';
import {
  applyConversationCreated,
  applyConversationRemoved,
  applyConversationUpdated,
  applyNewMessage,
  applyStatusUpdate,
  findConversation,
  messagePreview,
  type MessageStatusUpdate,
  type ViewerContext,
} from './api/cache';
import { inboxKeys, type Conversation, type Message } from './api/keys';
import { markConversationRead } from './api/markRead';
import { useInboxUi, useOutbox } from './store';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}

const isMessage = (v: unknown): v is Message =>
  isObject(v) && typeof v.id === 'string' && typeof v.conversationId === 'string' && typeof v.senderType === 'string';
const isStatusUpdate = (v: unknown): v is MessageStatusUpdate =>
  isObject(v) && typeof v.id === 'string' && typeof v.conversationId === 'string' && typeof v.status === 'string';
const isRemoval = (v: unknown): v is { id: string; mergedInto: string } =>
  isObject(v) && typeof v.id === 'string' && typeof v.mergedInto === 'string';
const isConversation = (v: unknown): v is Conversation =>
  isObject(v) && typeof v.id === 'string' && isObject(v.contact) && isObject(v.channel) && typeof v.status === 'string';

function viewer(): ViewerContext {
  return {
    meId: useSession.getState().user?.id ?? null,
    openConversationId: useInboxUi.getState().openConversationId,
  };
}

export interface InboxRealtimeOptions {
  /** A customer wrote (not a private note): the app decides whether to notify. */
  onContactMessage?: (message: Message, conversation: Conversation | undefined, preview: string) => void;
  /** The open conversation was folded into another one (contact merge): show that one. */
  onOpenConversationMerged?: (mergedInto: string) => void;
}

/**
 * Wires the socket's inbox events into the query cache: new messages appended, lists
 * reordered, ticks updated. After a reconnect everything refetches (events sent
 * while offline are not replayed) and the open conversation's room is joined again.
 */
export function registerInboxRealtime(qc: QueryClient, options: InboxRealtimeOptions = {}): () => void {
  const offs = [
    onSocketEvent('new_message', (payload) => {
      if (!isMessage(payload)) return;
      const ctx = viewer();
      if (payload.senderType === 'AGENT' && payload.sender?.id === ctx.meId) useOutbox.getState().claim(payload);
      applyNewMessage(qc, payload, ctx);
      if (payload.senderType !== 'CONTACT' || payload.isPrivate) return;
      if (ctx.openConversationId === payload.conversationId && document.visibilityState === 'visible') {
        markConversationRead(qc, payload.conversationId);
      }
      options.onContactMessage?.(payload, findConversation(qc, payload.conversationId), messagePreview(payload) ?? '');
    }),
    onSocketEvent('message_status_update', (payload) => {
      if (isStatusUpdate(payload)) applyStatusUpdate(qc, payload);
    }),
    onSocketEvent('conversation_created', (payload) => {
      if (isConversation(payload)) applyConversationCreated(qc, payload, viewer());
    }),
    onSocketEvent('conversation_updated', (payload) => {
      if (!isConversation(payload)) return;
      const before = findConversation(qc, payload.id);
      applyConversationUpdated(qc, payload, viewer());
      // Agents may see only theirs or their teams' conversations (workspace setting):
      // when one moves, the server says which lists still hold it.
      const moved = before !== undefined && (before.assignee?.id !== payload.assignee?.id || before.teamId !== payload.teamId);
      if (moved && useSession.getState().user?.role === 'AGENT') void qc.invalidateQueries({ queryKey: inboxKeys.lists() });
    }),
    onSocketEvent('agent_visibility_changed', () => {
      void qc.invalidateQueries({ queryKey: inboxKeys.all });
    }),
    onSocketEvent('conversation_removed', (payload) => {
      if (!isRemoval(payload)) return;
      const wasOpen = useInboxUi.getState().openConversationId === payload.id;
      applyConversationRemoved(qc, payload);
      if (wasOpen) options.onOpenConversationMerged?.(payload.mergedInto);
    }),
    onReconnect(() => {
      void qc.invalidateQueries({ queryKey: inboxKeys.all });
      const open = useInboxUi.getState().openConversationId;
      if (open !== null) void emitWithAck('join_conversation', { conversationId: open });
    }),
  ];
  // Coming back to the tab with the conversation open reads what arrived meanwhile.
  const onVisible = () => {
    const open = useInboxUi.getState().openConversationId;
    if (document.visibilityState !== 'visible' || open === null) return;
    if ((findConversation(qc, open)?.unreadCount ?? 0) > 0) markConversationRead(qc, open);
  };
  document.addEventListener('visibilitychange', onVisible);
  return () => {
    for (const off of offs) off();
    document.removeEventListener('visibilitychange', onVisible);
  };
}
