/**
 * Patching the inbox's cached server state from socket events and mutation results,
 * so the screen changes the moment something happens, without refetching. Every
 * function is idempotent: the same event twice (two rooms, a reconnect) changes
 * nothing the second time.
 */
import type { InfiniteData, QueryClient, QueryKey } from '@tanstack/react-query';
import type { SocketEvents } from '@/lib/socket/socket';
import type { ConversationPages } from './listConversations';
import {
  inboxKeys,
  type Conversation,
  type ConversationPage,
  type ConversationQuery,
  type Message,
  type MessagePage,
  type MessageStatus,
} from './keys';

export type MessagePages = InfiniteData<MessagePage, string | undefined>;

/** What the realtime handlers need to know about the viewer. */
export interface ViewerContext {
  meId: string | null;
  /** The conversation on screen: its new messages are read at once, not counted unread. */
  openConversationId: string | null;
}

/** `message_status_update` payload (generated from the server's contract). */
export type MessageStatusUpdate = SocketEvents['message_status_update'];
/** A status change the app applies itself (optimistic), with only what it knows. */
export type StatusPatch = Partial<MessageStatusUpdate> & Pick<MessageStatusUpdate, 'id' | 'conversationId' | 'status'>;

const RANK: Record<MessageStatus, number> = { PENDING: 0, SENT: 1, DELIVERED: 2, READ: 3, FAILED: 1 };

/** The conversation list's preview of a message, as the server writes it. */
export function messagePreview(message: Pick<Message, 'content' | 'contentType'>): string | null {
  const text = message.content?.trim();
  if (text) return Array.from(text).slice(0, 160).join('');
  return message.contentType === 'text' ? null : `[${message.contentType}]`;
}

// ---------------------------------------------------------------- messages

/** Status updates that arrived before their message (applied when it shows up). */
const earlyStatus = new Map<string, StatusPatch>();

function remember(update: StatusPatch) {
  earlyStatus.set(update.id, update);
  if (earlyStatus.size > 200) {
    const first = earlyStatus.keys().next().value;
    if (first !== undefined) earlyStatus.delete(first);
  }
}

function withEarlyStatus(message: Message): Message {
  const update = earlyStatus.get(message.id);
  if (update === undefined) return message;
  earlyStatus.delete(message.id);
  return mergeStatus(message, update);
}

/** Whether a message may move from one status to another (late echoes never move it back). */
export function canMove(from: MessageStatus, to: MessageStatus): boolean {
  if (from === to) return true;
  if (to === 'PENDING') return from === 'FAILED'; // a retry
  if (to === 'FAILED') return from === 'PENDING' || from === 'SENT';
  return from === 'PENDING' || from === 'FAILED' || RANK[to] > RANK[from];
}

/**
 * Applies a status update, if it moves the message forward. Only an explicit status
 * update (a retry) may take a FAILED message back to PENDING; a full copy of the
 * message (a late 201 or socket echo) never does.
 */
function mergeStatus(
  message: Message,
  update: Partial<MessageStatusUpdate> & { status: MessageStatus },
  opts: { retry: boolean } = { retry: true },
): Message {
  if (!canMove(message.status, update.status)) return message;
  if (!opts.retry && message.status === 'FAILED' && update.status === 'PENDING') return message;
  const attempts = update.deliveryAttempts ?? (update.status === 'PENDING' && message.status === 'FAILED' ? 0 : message.deliveryAttempts);
  // A reason stays while the message failed, or while it is being retried after one.
  const keepsReason = update.status === 'FAILED' || (update.status === 'PENDING' && attempts > 0);
  return {
    ...message,
    status: update.status,
    deliveryAttempts: attempts,
    maxDeliveryAttempts: update.maxDeliveryAttempts ?? message.maxDeliveryAttempts,
    failureReason: keepsReason ? (update.failureReason ?? message.failureReason ?? null) : null,
    failureCode: keepsReason ? (update.failureCode ?? message.failureCode ?? null) : null,
    externalId: update.externalId ?? message.externalId ?? null,
    sentAt: update.sentAt ?? message.sentAt ?? null,
    deliveredAt: update.deliveredAt ?? message.deliveredAt ?? null,
    readAt: update.readAt ?? message.readAt ?? null,
  };
}

/** Where a message is in the pages, if it is there. */
function locate(data: MessagePages, id: string): [number, number] | null {
  for (let p = 0; p < data.pages.length; p += 1) {
    const i = data.pages[p]?.messages.findIndex((m) => m.id === id) ?? -1;
    if (i !== -1) return [p, i];
  }
  return null;
}

function replaceAt(data: MessagePages, [p, i]: [number, number], fn: (m: Message) => Message): MessagePages {
  return {
    ...data,
    pages: data.pages.map((page, n) => {
      if (n !== p) return page;
      const messages = page.messages.slice();
      const current = messages[i];
      if (current !== undefined) messages[i] = fn(current);
      return { ...page, messages };
    }),
  };
}

/** Inserts (newest-first pages) or replaces a message by id. */
export function upsertMessage(data: MessagePages, incoming: Message): MessagePages {
  const message = withEarlyStatus(incoming);
  const at = locate(data, message.id);
  if (at !== null) {
    // Newer fields, but a status that only moves forward.
    return replaceAt(data, at, (current) =>
      mergeStatus(
        {
          ...message,
          // The delivery state goes with the status it belongs to.
          status: current.status,
          failureReason: current.failureReason,
          failureCode: current.failureCode,
          deliveryAttempts: current.deliveryAttempts,
        },
        message,
        { retry: false },
      ),
    );
  }
  const first = data.pages[0];
  if (first === undefined) return { ...data, pages: [{ messages: [message], nextCursor: null }], pageParams: [undefined] };
  // Newest first: usually at the very top; a late arrival slots in by time.
  const index = first.messages.findIndex((m) => m.createdAt <= message.createdAt);
  const messages = first.messages.slice();
  messages.splice(index === -1 ? messages.length : index, 0, message);
  return { ...data, pages: [{ ...first, messages }, ...data.pages.slice(1)] };
}

function updateMessagesCache(qc: QueryClient, conversationId: string, fn: (data: MessagePages) => MessagePages) {
  const key = inboxKeys.messages(conversationId);
  if (qc.getQueryData(key) === undefined) return false;
  qc.setQueryData<MessagePages>(key, (data) => (data === undefined ? data : fn(data)));
  return true;
}

/** Adds a message to its conversation's history, if that history is loaded. */
export function addMessage(qc: QueryClient, message: Message) {
  updateMessagesCache(qc, message.conversationId, (data) => upsertMessage(data, message));
}

export function findMessage(qc: QueryClient, conversationId: string, id: string): Message | undefined {
  const data = qc.getQueryData<MessagePages>(inboxKeys.messages(conversationId));
  for (const page of data?.pages ?? []) {
    const m = page.messages.find((x) => x.id === id);
    if (m !== undefined) return m;
  }
  return undefined;
}

/** `message_status_update`: the tick of one message changes. */
export function applyStatusUpdate(qc: QueryClient, update: StatusPatch) {
  const data = qc.getQueryData<MessagePages>(inboxKeys.messages(update.conversationId));
  const at = data === undefined ? null : locate(data, update.id);
  if (data === undefined || at === null) {
    remember(update);
    return;
  }
  qc.setQueryData<MessagePages>(inboxKeys.messages(update.conversationId), replaceAt(data, at, (m) => mergeStatus(m, update)));
}

// ---------------------------------------------------------- conversations

/**
 * Whether a conversation belongs in a list: true / false, or null when the list has a
 * text search (only the server can tell).
 */
export function matchesQuery(c: Conversation, query: ConversationQuery, meId: string | null): boolean | null {
  if (query.status !== undefined && c.status !== query.status) return false;
  if (query.channelId !== undefined && c.channel.id !== query.channelId) return false;
  if (query.teamId !== undefined && c.teamId !== query.teamId) return false;
  if (query.agentId === 'me' && (meId === null || c.assignee?.id !== meId)) return false;
  if (query.agentId === 'none' && c.assignee != null) return false;
  if (query.q !== undefined) return null;
  return true;
}

function listEntries(qc: QueryClient): [QueryKey, ConversationPages][] {
  return qc
    .getQueriesData<ConversationPages>({ queryKey: inboxKeys.lists() })
    .filter((e): e is [QueryKey, ConversationPages] => e[1] !== undefined);
}

function queryOf(key: QueryKey): ConversationQuery {
  return key[3] as ConversationQuery;
}

function flatten(data: ConversationPages): Conversation[] {
  return data.pages.flatMap((p) => p.conversations);
}

/** Rebuilds the pages after an edit of the flat list (first page absorbs the size change). */
function rebuild(data: ConversationPages, list: Conversation[], totalDelta: number): ConversationPages {
  const sizes = data.pages.map((p) => p.conversations.length);
  const diff = list.length - sizes.reduce((a, b) => a + b, 0);
  if (sizes.length > 0) sizes[0] = Math.max(0, (sizes[0] ?? 0) + diff);
  let at = 0;
  const pages: ConversationPage[] = data.pages.map((page, i) => {
    const size = i === sizes.length - 1 ? list.length - at : (sizes[i] ?? 0);
    const conversations = list.slice(at, at + size);
    at += size;
    return { conversations, total: Math.max(0, page.total + totalDelta) };
  });
  return { ...data, pages };
}

/** Same conversation, newer data, keeping what events leave out (the viewer's unread count). */
function mergeConversation(current: Conversation | undefined, next: Conversation): Conversation {
  if (current === undefined) return { ...next, unreadCount: next.unreadCount ?? 0 };
  return { ...current, ...next, unreadCount: next.unreadCount ?? current.unreadCount ?? 0 };
}

function byActivity(a: Conversation, b: Conversation) {
  return a.lastActivityAt < b.lastActivityAt ? 1 : a.lastActivityAt > b.lastActivityAt ? -1 : 0;
}

/**
 * Puts a conversation where it belongs in every cached list: replaced in place,
 * moved to the top when its activity is newer, inserted when it now matches, removed
 * when it no longer does; lists that cannot decide (text search) refetch.
 */
export function placeConversation(qc: QueryClient, next: Conversation, meId: string | null, opts: { unreadDelta?: number } = {}) {
  for (const [key, data] of listEntries(qc)) {
    const matches = matchesQuery(next, queryOf(key), meId);
    const list = flatten(data);
    const i = list.findIndex((c) => c.id === next.id);
    const current = list[i];
    if (matches === null) {
      if (current !== undefined) {
        const copy = list.slice();
        copy[i] = withUnread(mergeConversation(current, next), opts.unreadDelta);
        qc.setQueryData(key, rebuild(data, copy.sort(byActivity), 0));
      }
      void qc.invalidateQueries({ queryKey: key, exact: true });
      continue;
    }
    if (!matches) {
      if (current !== undefined) qc.setQueryData(key, rebuild(data, list.filter((c) => c.id !== next.id), -1));
      continue;
    }
    if (current === undefined) {
      // A conversation the list has not loaded: add it when its place is within the
      // loaded part; otherwise the server shows it when that page is fetched.
      const merged = withUnread(mergeConversation(undefined, next), opts.unreadDelta);
      const last = list[list.length - 1];
      const hasMore = list.length < (data.pages[data.pages.length - 1]?.total ?? 0);
      if (hasMore && last !== undefined && byActivity(merged, last) > 0) continue;
      qc.setQueryData(key, rebuild(data, [...list, merged].sort(byActivity), 1));
      continue;
    }
    const copy = list.slice();
    copy[i] = withUnread(mergeConversation(current, next), opts.unreadDelta);
    qc.setQueryData(key, rebuild(data, copy.sort(byActivity), 0));
  }
  qc.setQueryData<Conversation>(inboxKeys.detail(next.id), (current) =>
    current === undefined ? undefined : withUnread(mergeConversation(current, next), opts.unreadDelta),
  );
}

function withUnread(c: Conversation, delta: number | undefined): Conversation {
  if (delta === undefined || delta === 0) return c;
  return { ...c, unreadCount: Math.max(0, (c.unreadCount ?? 0) + delta) };
}

function findConversation(qc: QueryClient, id: string): Conversation | undefined {
  const detail = qc.getQueryData<Conversation>(inboxKeys.detail(id));
  if (detail !== undefined) return detail;
  for (const [, data] of listEntries(qc)) {
    const c = flatten(data).find((x) => x.id === id);
    if (c !== undefined) return c;
  }
  return undefined;
}

export { findConversation };

/** Sets the viewer's unread count of a conversation to zero everywhere. */
export function markReadInCache(qc: QueryClient, id: string) {
  const clear = (c: Conversation): Conversation => (c.unreadCount ? { ...c, unreadCount: 0 } : c);
  for (const [key, data] of listEntries(qc)) {
    if (!flatten(data).some((c) => c.id === id && c.unreadCount)) continue;
    qc.setQueryData<ConversationPages>(key, {
      ...data,
      pages: data.pages.map((p) => ({ ...p, conversations: p.conversations.map((c) => (c.id === id ? clear(c) : c)) })),
    });
  }
  qc.setQueryData<Conversation>(inboxKeys.detail(id), (c) => (c === undefined ? c : clear(c)));
}

// ------------------------------------------------------------------ events

const counted = new WeakMap<QueryClient, Set<string>>();

/** True the first time a message id is seen for unread counting on this client. */
function firstSighting(qc: QueryClient, id: string): boolean {
  let seen = counted.get(qc);
  if (seen === undefined) {
    seen = new Set();
    counted.set(qc, seen);
  }
  if (seen.has(id)) return false;
  seen.add(id);
  if (seen.size > 2000) {
    const first = seen.values().next().value;
    if (first !== undefined) seen.delete(first);
  }
  return true;
}

/**
 * `new_message`: append it to the open history, and move its conversation to the top
 * of every list with the new preview and (for a contact's message in a conversation
 * that is not on screen) one more unread.
 */
export function applyNewMessage(qc: QueryClient, message: Message, ctx: ViewerContext) {
  if (message.contentType === 'activity') {
    // An activity line joins the history only: no preview, no reordering, never unread.
    addMessage(qc, message);
    return;
  }
  const fresh = firstSighting(qc, message.id);
  addMessage(qc, message);
  const unread =
    fresh && message.senderType === 'CONTACT' && !message.isPrivate && ctx.openConversationId !== message.conversationId ? 1 : 0;
  const known = findConversation(qc, message.conversationId);
  if (known === undefined) {
    // Not in any loaded list: the lists that should show it will fetch it.
    void qc.invalidateQueries({ queryKey: inboxKeys.lists() });
  } else if (fresh) {
    const next: Conversation = {
      ...known,
      lastActivityAt: message.createdAt > known.lastActivityAt ? message.createdAt : known.lastActivityAt,
      lastMessagePreview: message.isPrivate ? known.lastMessagePreview : (messagePreview(message) ?? known.lastMessagePreview),
      ...(message.senderType === 'CONTACT' ? { lastIncomingAt: message.createdAt } : {}),
      // A customer writing again reopens a resolved conversation (the server says so too).
      ...(message.senderType === 'CONTACT' && known.status === 'RESOLVED' ? { status: 'OPEN' as const } : {}),
      unreadCount: undefined,
    };
    placeConversation(qc, next, ctx.meId, { unreadDelta: unread });
  }
  if (unread) void qc.invalidateQueries({ queryKey: inboxKeys.unread() });
  void qc.invalidateQueries({ queryKey: inboxKeys.byContact(message.contactId ?? '') , exact: true });
}

/** `conversation_created`. */
export function applyConversationCreated(qc: QueryClient, conversation: Conversation, ctx: ViewerContext) {
  placeConversation(qc, conversation, ctx.meId);
  void qc.invalidateQueries({ queryKey: inboxKeys.byContact(conversation.contact.id), exact: true });
}

/** `conversation_updated` (and the answer of a PATCH). */
export function applyConversationUpdated(qc: QueryClient, conversation: Conversation, ctx: ViewerContext) {
  placeConversation(qc, conversation, ctx.meId);
  void qc.invalidateQueries({ queryKey: inboxKeys.byContact(conversation.contact.id), exact: true });
}

/** `conversation_removed`: a contact merge folded this conversation into `mergedInto`. */
export function applyConversationRemoved(qc: QueryClient, removed: { id: string; mergedInto: string }) {
  for (const [key, data] of listEntries(qc)) {
    const list = flatten(data);
    if (list.some((c) => c.id === removed.id)) qc.setQueryData(key, rebuild(data, list.filter((c) => c.id !== removed.id), -1));
  }
  qc.removeQueries({ queryKey: inboxKeys.detail(removed.id), exact: true });
  // The kept conversation now holds both histories.
  void qc.invalidateQueries({ queryKey: inboxKeys.messages(removed.mergedInto) });
}

/** `contact_updated`: the contact's name, phone and email change on every conversation. */
export function applyContactToConversations(
  qc: QueryClient,
  contact: { id: string; name: string; phone?: string | null; email?: string | null },
) {
  const patch = (c: Conversation): Conversation =>
    c.contact.id === contact.id
      ? { ...c, contact: { ...c.contact, name: contact.name, phone: contact.phone ?? null, email: contact.email ?? null } }
      : c;
  for (const [key, data] of listEntries(qc)) {
    if (!flatten(data).some((c) => c.contact.id === contact.id)) continue;
    qc.setQueryData<ConversationPages>(key, {
      ...data,
      pages: data.pages.map((p) => ({ ...p, conversations: p.conversations.map(patch) })),
    });
  }
  for (const [key, c] of qc.getQueriesData<Conversation>({ queryKey: [...inboxKeys.conversations(), 'detail'] })) {
    if (c?.contact.id === contact.id) qc.setQueryData(key, patch(c));
  }
  qc.setQueryData<Conversation[]>(inboxKeys.byContact(contact.id), (list) => list?.map(patch));
}
